# checkov loads the Python checks of a directory only when it holds an __init__.py.
