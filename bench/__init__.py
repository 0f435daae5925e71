"""``make bench``: build synthetic datasets of several sizes and time every stage.

``python -m bench --sizes "1000 10000"``; see ``bench/__main__.py``.
"""
