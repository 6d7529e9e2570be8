"""What goes wrong in the disc and how it is repaired: fissures, nucleus material in them,
ingrown nerves, granulation tissue and the repair (``lesions``).
"""
