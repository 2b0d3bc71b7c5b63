"""Renderers: the model to text — data files a tool writes, notices, reports and (later) the site."""
