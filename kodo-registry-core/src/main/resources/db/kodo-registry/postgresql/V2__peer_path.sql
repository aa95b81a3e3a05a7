-- The registries a node from a peer passed through, from its origin to the peer it came from (JSON list):
-- a registry never takes in a node whose path names it, so records cannot go round a loop.
ALTER TABLE registry_nodes ADD COLUMN path TEXT;
