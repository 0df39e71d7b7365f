"""Reading and writing: samples and replicate weights as files, tables as text, CSV or JSON."""
