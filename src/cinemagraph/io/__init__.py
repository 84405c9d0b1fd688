"""Input and output at the edges: safe photo decoding and streaming video encoding."""
