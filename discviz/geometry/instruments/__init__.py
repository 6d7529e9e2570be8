"""The instruments of the endoscopic transforaminal operation and their trajectory."""
