"""Device filter rules (`device.trustType -eq "ServerAD" -or ...`): parsed and evaluated three-valued.

Syntax: https://learn.microsoft.com/entra/identity/conditional-access/concept-condition-filters-for-devices
An attribute the sign-in does not give, or a rule that does not parse, is unknown (None), never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["Comparison", "DeviceFilterError", "Expression", "evaluate", "parse"]

Tri = bool | None

OPERATORS = (
    "-eq",
    "-ne",
    "-startsWith",
    "-notStartsWith",
    "-endsWith",
    "-notEndsWith",
    "-contains",
    "-notContains",
    "-in",
    "-notIn",
)
_OPERATOR_BY_KEY = {operator.casefold(): operator for operator in OPERATORS}
_TOKEN = re.compile(
    r"""\s*(?:(?P<open>\()|(?P<close>\))|(?P<list>\[[^\]]*\])|"(?P<string>(?:[^"\\]|\\.)*)"|(?P<word>[^\s()"\[\]]+))"""
)


class DeviceFilterError(ValueError):
    """A rule that does not follow the documented syntax."""


class Comparison(NamedTuple):
    attribute: str
    operator: str
    values: tuple[str, ...]


class Expression(NamedTuple):
    operator: str  # "-and" or "-or"
    operands: tuple[Expression | Comparison, ...]


Node = Expression | Comparison


def _tokens(rule: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    position = 0
    while position < len(rule):
        if rule[position:].strip() == "":
            break
        match = _TOKEN.match(rule, position)
        if match is None:
            raise DeviceFilterError(f"unexpected character at {position + 1}: {rule[position : position + 10]!r}")
        kind = match.lastgroup or "word"
        tokens.append((kind, match.group(kind)))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, rule: str) -> None:
        self.tokens = _tokens(rule)
        self.position = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.peek()
        if token is None:
            raise DeviceFilterError("the rule ends too early")
        self.position += 1
        return token

    def expression(self, operator: str = "-or") -> Node:
        inner = "-and" if operator == "-or" else None
        operands = [self.expression(inner) if inner else self.factor()]
        while (token := self.peek()) is not None and token[0] == "word" and token[1].casefold() == operator:
            self.position += 1
            operands.append(self.expression(inner) if inner else self.factor())
        return operands[0] if len(operands) == 1 else Expression(operator, tuple(operands))

    def factor(self) -> Node:
        kind, text = self.take()
        if kind == "open":
            node = self.expression()
            if self.take()[0] != "close":
                raise DeviceFilterError("a '(' is not closed")
            return node
        if kind != "word" or not text.casefold().startswith("device."):
            raise DeviceFilterError(f"expected a device attribute, found {text!r}")
        operator_kind, operator_text = self.take()
        operator = _OPERATOR_BY_KEY.get(operator_text.casefold())
        if operator_kind != "word" or operator is None:
            raise DeviceFilterError(f"unknown operator {operator_text!r}")
        value_kind, value = self.take()
        if operator in ("-in", "-notIn"):
            if value_kind != "list":
                raise DeviceFilterError(f'{operator} needs a list such as ["a","b"]')
            values = tuple(re.findall(r'"((?:[^"\\]|\\.)*)"', value))
        elif value_kind in ("string", "word"):
            values = (value,)
        else:
            raise DeviceFilterError(f"{operator} needs a value")
        return Comparison(text[len("device.") :], operator, values)


def parse(rule: str) -> Node:
    parser = _Parser(rule)
    node = parser.expression()
    if parser.peek() is not None:
        raise DeviceFilterError(f"unexpected {parser.peek()[1]!r}")  # type: ignore[index]
    return node


def _compare(comparison: Comparison, device: Mapping[str, str]) -> Tri:
    attributes = {key.casefold(): value for key, value in device.items()}
    actual = attributes.get(comparison.attribute.casefold())
    if actual is None:
        return None
    have = actual.casefold()
    wanted = [value.casefold() for value in comparison.values]
    operator = comparison.operator
    negated = operator in ("-ne", "-notStartsWith", "-notEndsWith", "-notContains", "-notIn")
    if operator in ("-eq", "-ne", "-in", "-notIn"):
        found = have in wanted
    elif operator in ("-startsWith", "-notStartsWith"):
        found = have.startswith(wanted[0])
    elif operator in ("-endsWith", "-notEndsWith"):
        found = have.endswith(wanted[0])
    else:
        found = wanted[0] in have
    return not found if negated else found


def evaluate(node: Node, device: Mapping[str, str]) -> Tri:
    """Kleene logic: False decides an -and, True decides an -or, otherwise unknown stays unknown."""
    if isinstance(node, Comparison):
        return _compare(node, device)
    results = [evaluate(operand, device) for operand in node.operands]
    decisive = node.operator == "-or"
    if decisive in results:
        return decisive
    return None if None in results else not decisive
