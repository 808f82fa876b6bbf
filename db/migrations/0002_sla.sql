CREATE TABLE `calendars` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`time_zone` text NOT NULL,
	`always_open` integer DEFAULT false NOT NULL,
	`week` text NOT NULL,
	`closed_days` text NOT NULL,
	`special_days` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `metric_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`item_id` integer NOT NULL,
	`period_id` integer,
	`opd_id` integer NOT NULL,
	`platform` text NOT NULL,
	`channel_id` integer NOT NULL,
	`at` integer NOT NULL,
	`period_started_at` integer,
	`seconds` integer,
	`working_seconds` integer,
	`within_sla` integer,
	`detail` text,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`period_id`) REFERENCES `sla_periods`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`opd_id`) REFERENCES `opds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `metric_events_at` ON `metric_events` (`at`);--> statement-breakpoint
CREATE INDEX `metric_events_opd` ON `metric_events` (`opd_id`,`at`);--> statement-breakpoint
CREATE INDEX `metric_events_item` ON `metric_events` (`item_id`);--> statement-breakpoint
CREATE TABLE `sla_periods` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`item_id` integer NOT NULL,
	`kind` text NOT NULL,
	`started_at` integer NOT NULL,
	`policy_id` integer NOT NULL,
	`target_seconds` integer NOT NULL,
	`due_at` integer NOT NULL,
	`warn_at` integer NOT NULL,
	`warned_at` integer,
	`breached_at` integer,
	`breach_opd_id` integer,
	`answered_at` integer,
	`response_seconds` integer,
	`response_working_seconds` integer,
	`answer_opd_id` integer,
	`excluded` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`item_id`) REFERENCES `items`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`policy_id`) REFERENCES `sla_policies`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`breach_opd_id`) REFERENCES `opds`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`answer_opd_id`) REFERENCES `opds`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `sla_periods_item` ON `sla_periods` (`item_id`);--> statement-breakpoint
CREATE INDEX `sla_periods_pending_breach` ON `sla_periods` (`due_at`) WHERE answered_at IS NULL AND excluded = 0 AND breached_at IS NULL;--> statement-breakpoint
CREATE INDEX `sla_periods_pending_warning` ON `sla_periods` (`warn_at`) WHERE answered_at IS NULL AND excluded = 0 AND warned_at IS NULL;--> statement-breakpoint
CREATE TABLE `sla_policies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`position` integer NOT NULL,
	`conditions` text NOT NULL,
	`calendar_id` integer NOT NULL,
	`first_response_seconds` integer NOT NULL,
	`next_response_seconds` integer NOT NULL,
	`resolution_seconds` integer,
	`warn_ratio` real DEFAULT 0.75 NOT NULL,
	`pause_while_waiting` integer DEFAULT false NOT NULL,
	`active` integer DEFAULT true NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`calendar_id`) REFERENCES `calendars`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `items` ADD `priority` text DEFAULT 'normal' NOT NULL;--> statement-breakpoint
ALTER TABLE `items` ADD `first_response_working_seconds` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `policy_id` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `due_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `warn_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `breached_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `excluded_reason` text;--> statement-breakpoint
ALTER TABLE `items` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `resolution_due_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `resolution_breached_at` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `paused_since` integer;--> statement-breakpoint
ALTER TABLE `items` ADD `paused_seconds` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `items_due` ON `items` (`due_at`);--> statement-breakpoint
CREATE INDEX `items_resolution_running` ON `items` (`resolution_due_at`) WHERE closed_at IS NULL AND excluded_reason IS NULL AND resolution_breached_at IS NULL AND paused_since IS NULL;--> statement-breakpoint
CREATE INDEX `replies_external` ON `replies` (`external_id`);