"""The intervertebral disc: its outline and frame (``outline``), and the annulus lamellae,
nucleus and cartilage endplates (``annulus``).
"""
