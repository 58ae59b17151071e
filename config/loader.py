"""Read a config directory, validate strictly, cross-check references.

A directory may hold `profile.yaml` with `extends: <dir>`: files it lacks are taken from
that base directory (the demo profile overrides sources and settings, nothing else).
"""

from __future__ import annotations

import os
import re
import types
import typing
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from yuqing.config.checks import cross_check
from yuqing.config.errors import ConfigError, Problem, describe, key_path
from yuqing.config.models import Config

DEFAULT_DIR = Path(__file__).resolve().parent / "default"
DEMO_DIR = Path(__file__).resolve().parent / "demo"

# top-level key -> file it lives in; list files wrap their list under the same key
FILES = {
    "settings": "settings.yaml",
    "sources": "sources.yaml",
    "topics": "topics.yaml",
    "places": "places.yaml",
    "departments": "departments.yaml",
    "routing": "routing.yaml",
}
OPTIONAL = {"settings"}
_ENV = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")


def resolve_config_dir(path: str | os.PathLike | None) -> Path:
    """None -> $YUQING_CONFIG or the shipped default; 'demo'/'default' name the shipped profiles."""
    if path is None:
        path = os.environ.get("YUQING_CONFIG") or DEFAULT_DIR
    if str(path) in ("demo", "default"):
        return DEMO_DIR if str(path) == "demo" else DEFAULT_DIR
    return Path(path).resolve()


def load_config(path: str | os.PathLike | None = None) -> Config:
    directory = resolve_config_dir(path)
    problems: list[Problem] = []
    if not directory.is_dir():
        raise ConfigError([Problem(str(directory), "", "配置目录不存在")])
    files = _file_map(directory, problems)
    raw: dict[str, object] = {"directory": str(directory)}
    for key, filename in FILES.items():
        file = files.get(filename)
        if file is None:
            if key not in OPTIONAL:
                problems.append(Problem(str(directory / filename), "", "文件不存在（必需的配置文件）"))
            continue
        data = _read_yaml(file, problems)
        if data is None:
            continue
        if key in ("settings", "routing"):
            raw[key] = data
        elif not isinstance(data, dict) or set(data) != {key}:
            problems.append(Problem(str(file), "", f"顶层应只有一个键“{key}”，其下为列表"))
        else:
            raw[key] = data[key] if data[key] is not None else []
    if problems:
        raise ConfigError(problems)
    raw = _expand_env(raw, problems, files)
    if problems:
        raise ConfigError(problems)
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_translate(exc, files, directory)) from None
    problems = cross_check(config, files)
    if problems:
        raise ConfigError(problems)
    return config


def _file_map(directory: Path, problems: list[Problem]) -> dict[str, Path]:
    chain = [directory]
    profile = directory / "profile.yaml"
    if profile.exists():
        data = _read_yaml(profile, problems) or {}
        if not isinstance(data, dict) or set(data) - {"extends", "description"}:
            problems.append(Problem(str(profile), "", "只允许键 extends 与 description"))
        elif data.get("extends"):
            base = resolve_config_dir(directory / str(data["extends"]))
            if not base.is_dir():
                problems.append(Problem(str(profile), "extends", f"基础配置目录“{base}”不存在"))
            else:
                chain.append(base)
    files: dict[str, Path] = {}
    for folder in reversed(chain):
        for file in folder.glob("*.y*ml"):
            if file.name == "profile.yaml":
                continue
            if file.name not in FILES.values():
                problems.append(Problem(str(file), "", f"未知的配置文件（可用：{'、'.join(FILES.values())}）"))
                continue
            files[file.name] = file
    return files


def _read_yaml(file: Path, problems: list[Problem]) -> object:
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(Problem(str(file), "", f"无法读取文件：{exc}"))
        return None
    try:
        return _safe_load(text)
    except _TooLarge as exc:
        problems.append(Problem(str(file), "", f"YAML 展开后过大（超过 {MAX_NODES} 个节点，"
                                f"可能是锚点/别名炸弹）：{exc}"))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"第 {mark.line + 1} 行第 {mark.column + 1} 列" if mark else "未知位置"
        problems.append(Problem(str(file), "", f"YAML 语法错误（{where}）：{getattr(exc, 'problem', exc)}"))
        return None


# A config file has a few thousand nodes; anchors and aliases that expand past this are an
# attack (a 452-byte "billion laughs" kept `config check` busy for minutes).
MAX_NODES = 200_000


class _TooLarge(ValueError):
    pass


def _expanded_size(node, memo: dict[int, int]) -> int:
    """Nodes the document has once every alias is expanded, without expanding it."""
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = 1                       # a cycle counts once (PyYAML builds it as a reference)
    if isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(child, memo) for child in node.value)
    elif isinstance(node, yaml.MappingNode):
        size = 1 + sum(_expanded_size(k, memo) + _expanded_size(v, memo) for k, v in node.value)
    else:
        size = 1
    if size > MAX_NODES:
        raise _TooLarge(f"{size} 个节点")
    memo[key] = size
    return size


def _safe_load(text: str):
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _expanded_size(node, {})
        return loader.construct_document(node)
    finally:
        loader.dispose()


def _expand_env(value, problems: list[Problem], files: dict[str, Path], loc: tuple = ()):
    """${VAR} and ${VAR:-default} in any string: secrets stay out of the YAML."""
    if isinstance(value, dict):
        return {k: _expand_env(v, problems, files, loc + (k,)) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand_env(v, problems, files, loc + (i,)) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def replace(match: re.Match) -> str:
        name, default = match.group(1), match.group(2)
        if name in os.environ:
            return os.environ[name]
        if default is not None:
            return default
        problems.append(Problem(_file_for(loc, files), key_path(loc), f"环境变量 {name} 未设置"))
        return ""

    return _ENV.sub(replace, value)


def _file_for(loc: tuple, files: dict[str, Path]) -> str:
    filename = FILES.get(str(loc[0])) if loc else None
    return str(files.get(filename, filename or "?"))


def _translate(exc: ValidationError, files: dict[str, Path], directory: Path) -> list[Problem]:
    problems = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        allowed = _allowed_keys(loc[:-1]) if error["type"] == "extra_forbidden" else None
        problems.append(Problem(_file_for(loc, files) if loc else str(directory),
                                key_path(loc), describe(error, allowed)))
    return problems


def _allowed_keys(loc: tuple) -> list[str]:
    """Keys the model at `loc` accepts, for 'did you mean' hints."""
    model: object = Config
    for part in loc:
        if isinstance(part, int) or not _is_model(model):
            model = _unwrap(model)
            if isinstance(part, int):
                continue
        if not _is_model(model):
            return []
        field = model.model_fields.get(part) or next(
            (f for f in model.model_fields.values() if f.alias == part), None)
        if field is None:
            return []
        model = _unwrap(field.annotation)
    model = _unwrap(model)
    if not _is_model(model):
        return []
    return [f.alias or name for name, f in model.model_fields.items() if name != "directory"]


def _is_model(obj: object) -> bool:
    return isinstance(obj, type) and issubclass(obj, BaseModel)


def _unwrap(annotation: object) -> object:
    """list[X] / X | None / dict[K, X] -> X."""
    while not _is_model(annotation):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        origin = typing.get_origin(annotation)
        if origin in (list, typing.Union, types.UnionType) and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        else:
            return annotation
    return annotation
