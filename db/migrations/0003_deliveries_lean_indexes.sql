PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_deliveries` (
	`id` integer PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`channel_id` integer,
	`dedupe_key` text NOT NULL,
	`tracking_code` text,
	`raw_body` blob NOT NULL,
	`state` text DEFAULT 'pending' NOT NULL,
	`flag` text,
	`flag_detail` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`error` text,
	`received_at` integer NOT NULL,
	`processed_at` integer,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_deliveries`("id", "platform", "channel_id", "dedupe_key", "tracking_code", "raw_body", "state", "flag", "flag_detail", "attempts", "error", "received_at", "processed_at") SELECT "id", "platform", "channel_id", "dedupe_key", "tracking_code", "raw_body", "state", "flag", "flag_detail", "attempts", "error", "received_at", "processed_at" FROM `deliveries`;--> statement-breakpoint
DROP TABLE `deliveries`;--> statement-breakpoint
ALTER TABLE `__new_deliveries` RENAME TO `deliveries`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_dedupe_key_unique` ON `deliveries` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `deliveries_pending` ON `deliveries` (`id`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `deliveries_failed` ON `deliveries` (`id`) WHERE state = 'failed';--> statement-breakpoint
CREATE INDEX `deliveries_flagged` ON `deliveries` (`flag`) WHERE flag IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_tracking_code` ON `deliveries` (`tracking_code`) WHERE tracking_code IS NOT NULL;