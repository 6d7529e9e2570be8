"""The motion segment around the disc: the vertebrae, facet joints, dural sac and nerve roots."""
