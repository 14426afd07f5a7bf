"""The Curtois NRP benchmark: reader, independent scorer and mapper onto the general model."""
