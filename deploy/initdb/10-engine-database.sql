-- The engine's database beside ours (the app creates its own roles at start; see deploy/README.md).
CREATE DATABASE engine;
CREATE DATABASE reclamatii;
