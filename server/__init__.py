"""How gunicorn runs the portal: its worker class (one that answers /healthz even while every
thread waits) and the bound on how long a web request waits for a silent database. Only
gunicorn.conf.py uses this package; management commands never load it."""
