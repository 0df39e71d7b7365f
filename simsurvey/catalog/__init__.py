"""Stage 1, the catalogue: read and validate a catalogue folder, and one survey's published facts."""
