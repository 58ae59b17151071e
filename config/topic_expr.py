"""Boolean keyword expressions for topic rules, parsed once at config load.

    (供暖|暖气|@热源) & (不热|停暖|室温) & !招聘
    标题:(暖气|供暖) & (投诉|没人管)
    (暖气|供暖) ~20 (不热|冰凉)        words within 20 characters of each other
    (暖气|供暖) ~句 (不热|冰凉)        words in the same sentence

Precedence, tightest first: `!`, `~`, `&`, `|`; parentheses group. `@名` names a word group
of the rule (`@主体` etc. are the rule's subject/event/region/exclude lists). `标题:` /
`正文:` (or `title:` / `body:`) limit what follows to the title or the body. Full-width
operators typed with a Chinese input method are accepted. Pure data: no jieba, no config.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Full-width forms a Chinese IME produces, mapped one character to one so positions hold.
_WIDE = str.maketrans("（）｜＆！～：＠“”", "()|&!~:@\"\"")
_OPS = set("()|&!~:@\"")
_SCOPES = {"标题": "title", "title": "title", "正文": "body", "body": "body"}
SENTENCE = -1                       # Near.distance for "same sentence"


class ExprError(ValueError):
    def __init__(self, pos: int, message: str):
        self.pos = pos              # 1-based character position, as an editor shows it
        super().__init__(f"表达式第 {pos} 个字符处：{message}")


@dataclass(frozen=True)
class Terms:
    """Any of these words (a leaf, or an OR of plain words merged into one leaf)."""
    words: frozenset[str]
    scope: str | None = None


@dataclass(frozen=True)
class AllOf:
    parts: tuple


@dataclass(frozen=True)
class AnyOf:
    parts: tuple


@dataclass(frozen=True)
class Not:
    part: object


@dataclass(frozen=True)
class Near:
    left: Terms
    right: Terms
    distance: int                   # characters between the two words, or SENTENCE


@dataclass(frozen=True)
class _Tok:
    kind: str                       # op, word, group, scope, near, end
    value: str
    pos: int


def _lex(text: str) -> list[_Tok]:
    text = text.translate(_WIDE)
    toks, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch == '"':
            end = text.find('"', i + 1)
            if end < 0:
                raise ExprError(i + 1, "引号未闭合")
            if end == i + 1:
                raise ExprError(i + 1, "引号中没有词")
            toks.append(_Tok("word", text[i + 1:end], i + 1))
            i = end + 1
        elif ch == "~":
            m = re.match(r"~\s*(\d+|句|s\b)", text[i:])
            if not m:
                raise ExprError(i + 1, "“~”后应为字数（如 ~20）或“句”（同一句内）")
            toks.append(_Tok("near", m.group(1), i + 1))
            i += m.end()
        elif ch == "@":
            m = re.match(r"@([\w]+)", text[i:])
            if not m:
                raise ExprError(i + 1, "“@”后应为词组名")
            toks.append(_Tok("group", m.group(1), i + 1))
            i += m.end()
        elif ch in _OPS:
            toks.append(_Tok("op", ch, i + 1))
            i += 1
        else:
            j = i
            while j < len(text) and text[j] not in _OPS and not text[j].isspace():
                j += 1
            word = text[i:j]
            if j < len(text) and text[j] == ":" and word in _SCOPES:
                toks.append(_Tok("scope", _SCOPES[word], i + 1))
                j += 1
            elif j < len(text) and text[j] == ":":
                raise ExprError(i + 1, f"“{word}:”不是可用的范围（可用：标题: 正文: title: body:）")
            else:
                toks.append(_Tok("word", word, i + 1))
            i = j
    toks.append(_Tok("end", "", len(text) + 1))
    return toks


class _Parser:
    def __init__(self, text: str, groups: dict[str, list[str]]):
        self.toks, self.i, self.groups = _lex(text), 0, groups
        self.used: set[str] = set()

    def peek(self) -> _Tok:
        return self.toks[self.i]

    def take(self) -> _Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def parse(self):
        if self.peek().kind == "end":
            raise ExprError(1, "表达式为空")
        node = self.or_(None)
        tok = self.peek()
        if tok.kind != "end":
            if tok.value == ")":
                raise ExprError(tok.pos, "多出右括号“)”")
            raise ExprError(tok.pos, f"“{tok.value}”前缺少运算符 & 或 |")
        return node

    def or_(self, scope):
        parts = [self.and_(scope)]
        while self.peek().value == "|" and self.peek().kind == "op":
            self.take()
            parts.append(self.and_(scope))
        return _merge_any(parts)

    def and_(self, scope):
        parts = [self.unary(scope)]
        while self.peek().value == "&" and self.peek().kind == "op":
            self.take()
            parts.append(self.unary(scope))
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def unary(self, scope):
        if self.peek().kind == "op" and self.peek().value == "!":
            self.take()
            return Not(self.unary(scope))
        left = self.atom(scope)
        if self.peek().kind == "near":
            op = self.take()
            right = self.atom(scope)
            for side in (left, right):
                if not isinstance(side, Terms):
                    raise ExprError(op.pos, "邻近运算“~”两侧只能是词、@词组或用 | 连接的词")
            distance = SENTENCE if op.value in ("句", "s") else int(op.value)
            left = Near(left, right, distance)
        return left

    def atom(self, scope):
        tok = self.take()
        if tok.kind == "word":
            return Terms(frozenset([tok.value]), scope)
        if tok.kind == "group":
            if tok.value not in self.groups:
                known = "、".join(f"@{g}" for g in self.groups) or "无"
                raise ExprError(tok.pos, f"未定义的词组“@{tok.value}”（可用：{known}）")
            self.used.add(tok.value)
            return Terms(frozenset(self.groups[tok.value]), scope)
        if tok.kind == "scope":
            if self.peek().kind in ("scope", "end"):
                raise ExprError(self.peek().pos, "范围后应为词、@词组或“(”")
            return self.atom(tok.value)
        if tok.kind == "op" and tok.value == "(":
            node = self.or_(scope)
            close = self.take()
            if close.value != ")" or close.kind != "op":
                raise ExprError(close.pos, "缺少右括号“)”" if close.kind == "end"
                                else f"“{close.value}”前缺少运算符 & 或 |")
            return node
        if tok.kind == "end":
            raise ExprError(tok.pos, "表达式不完整，末尾应为词、@词组或“)”")
        if tok.kind == "near":
            raise ExprError(tok.pos, "“~”左侧缺少词")
        raise ExprError(tok.pos, f"应为词、@词组或“(”，却是“{tok.value}”")


def _merge_any(parts: list):
    """(a|b|c) of plain same-scope words becomes one leaf: one set lookup instead of three."""
    if len(parts) == 1:
        return parts[0]
    if all(isinstance(p, Terms) for p in parts) and len({p.scope for p in parts}) == 1:
        return Terms(frozenset().union(*(p.words for p in parts)), parts[0].scope)
    return AnyOf(tuple(parts))


def parse(text: str, groups: dict[str, list[str]] | None = None) -> tuple[object, set[str]]:
    """The expression's tree and the groups it used; ExprError names the position of a mistake."""
    parser = _Parser(text, groups or {})
    tree = parser.parse()
    if evaluate(tree, lambda _terms: {}) is not None:
        raise ExprError(1, "表达式在没有任何词命中时也成立（只有 ! 排除词？），至少要有一个须命中的词")
    return tree, parser.used


def words_of(node) -> set[str]:
    if isinstance(node, Terms):
        return set(node.words)
    if isinstance(node, Near):
        return set(node.left.words | node.right.words)
    if isinstance(node, Not):
        return words_of(node.part)
    return set().union(*(words_of(p) for p in node.parts))


def has_near(node) -> bool:
    if isinstance(node, Near):
        return True
    if isinstance(node, Not):
        return has_near(node.part)
    return isinstance(node, (AllOf, AnyOf)) and any(has_near(p) for p in node.parts)


def evaluate(node, found, near=None) -> set[str] | None:
    """The evidence words when `node` holds, else None.

    `found(terms)` returns {word: positions} for the words of a leaf present in its scope;
    `near(node)` returns the words of qualifying pairs for a proximity node.
    """
    if isinstance(node, Terms):
        hits = found(node)
        return set(hits) if hits else None
    if isinstance(node, Near):
        hits = near(node) if near else None
        return hits or None
    if isinstance(node, Not):
        return set() if evaluate(node.part, found, near) is None else None
    if isinstance(node, AllOf):
        evidence: set[str] = set()
        for part in node.parts:
            got = evaluate(part, found, near)
            if got is None:
                return None
            evidence |= got
        return evidence
    results = [evaluate(p, found, near) for p in node.parts]
    held = [r for r in results if r is not None]
    return set().union(*held) if held else None
