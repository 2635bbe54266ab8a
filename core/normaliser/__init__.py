"""Price and size normaliser used by every collector and importer: exact Decimals or a reason."""

from core.normaliser.measure import Measurement, WrongAnswer, measure
from core.normaliser.numbers import read_plain_price
from core.normaliser.prices import ParsedPrice, parse_price
from core.normaliser.sizes import ParsedSize, parse_size
from core.normaliser.unit_price import check_unit_price, parse_price_and_size

__all__ = [
    "Measurement",
    "ParsedPrice",
    "ParsedSize",
    "WrongAnswer",
    "check_unit_price",
    "measure",
    "parse_price",
    "parse_price_and_size",
    "parse_size",
    "read_plain_price",
]
