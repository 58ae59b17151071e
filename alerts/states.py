"""The states of a warning's life (open → acknowledged → responded → closed), as people say them."""

STATUS_NAMES = {"open": "待签收", "acknowledged": "已签收", "responded": "已回应", "closed": "已关闭"}
