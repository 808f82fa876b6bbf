ALTER TABLE `deliveries` ADD `body_hash` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `pruned_at` integer;--> statement-breakpoint
CREATE INDEX `deliveries_prunable` ON `deliveries` (`processed_at`) WHERE state = 'processed' AND flag IS NULL AND pruned_at IS NULL;