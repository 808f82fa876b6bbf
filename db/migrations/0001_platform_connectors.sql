CREATE TABLE `api_quota` (
	`channel_id` integer NOT NULL,
	`day` text NOT NULL,
	`units` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`channel_id`, `day`),
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `message_revisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`change` text NOT NULL,
	`previous_text` text NOT NULL,
	`at` integer NOT NULL,
	`delivery_id` integer,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_revisions_message` ON `message_revisions` (`message_id`);--> statement-breakpoint
ALTER TABLE `channels` ADD `settings` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `last_delivery_at` integer;--> statement-breakpoint
ALTER TABLE `channels` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `channels` ADD `last_error_at` integer;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `flag` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `flag_detail` text;--> statement-breakpoint
CREATE INDEX `deliveries_flag` ON `deliveries` (`flag`);--> statement-breakpoint
ALTER TABLE `items` ADD `last_inbound_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `parent_external_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `edited_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `deleted_at` integer;--> statement-breakpoint
ALTER TABLE `replies` ADD `external_id` text;