-- The model calls of each run, summed from its "llm" action events by RunFold
-- (docs/events.md#derived-state). Runs written before this migration had no model calls to sum.
-- cost stays NULL until a call carries a cost estimate.
ALTER TABLE runs ADD COLUMN model_calls   BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN input_tokens  BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN output_tokens BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN cost          DOUBLE PRECISION;
