-- Runs shared with a caller's subjects, for listing the runs a caller may see (RunVisibility).
CREATE INDEX shares_subject ON shares (subject, fid);
