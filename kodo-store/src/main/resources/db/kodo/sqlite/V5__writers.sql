-- The node incarnation that writes each run (appends its events): its single writer, taken over
-- by another node when that one dies (docs/architecture.md#two-nodes-one-database). NULL for runs
-- created before writers were recorded; a node takes those over when it starts.
ALTER TABLE runs ADD COLUMN writer TEXT;
