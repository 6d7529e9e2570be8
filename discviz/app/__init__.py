"""The desktop viewer: a Qt window around the renderer that listens to the player.

Modules, one job each: ``launch`` (application start), ``window`` (composition),
``playback`` (timer and stepping), ``view`` (the 3D view), ``steps`` (step list and
navigation bar), ``caption`` (caption panel), ``banner`` (problems), ``instructor``
(parameter sliders), ``actions`` (keys and menus), ``settings``, ``watcher`` (live reload),
``export`` (pictures, video, glTF), ``glcheck`` (OpenGL) and ``bench``.
"""
