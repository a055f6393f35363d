"""voc-stream: risk early warning over the voice of the customer (客户之声)."""

__version__ = "0.1.0"
