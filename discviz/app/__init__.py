"""The desktop viewer: a Qt window around the renderer that listens to the player.

One job per module: ``launch`` (start the application), ``window`` (put the parts together),
``playback`` (the timer that steps through time), ``view`` (the 3D view), ``steps`` (step
list and navigation bar), ``caption`` (caption panel), ``banner`` (problems on screen),
``instructor`` (parameter sliders), ``overrides`` (cutaway and parameters over the scene),
``actions`` and ``menus`` (keys and menus), ``settings``, ``watcher`` (live reload),
``export`` (picture, video, glTF), ``glcheck`` (OpenGL), ``safety`` (errors to the banner),
``typography`` and ``bench``.
"""
