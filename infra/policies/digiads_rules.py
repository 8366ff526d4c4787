"""The base of digiads' checkov policies (infra/policies, run by infra/checkov.sh).

A rule is a function that yields what is wrong with what it is shown (nothing: it passes); its
check then fails with the rule's sentence followed by the problems, so the build's message says
what broke. template_rule, dockerfile_rule and compose_rule register a function as a checkov check
of the template's resources, of a Dockerfile (all its instructions, in order) or of compose.yaml.
Ports come from src/main/resources/application.properties, so the rules follow the app. A template rule
is shown the resource as infra/digiads.yaml spells it (checkov's own view fills parameters in).
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Callable, Iterable

import yaml
from checkov.cloudformation.checks.resource.base_resource_check import BaseResourceCheck
from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.dockerfile.base_dockerfile_check import BaseDockerfileCheck
from checkov.yaml_doc.base_yaml_check import BaseYamlCheck

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "infra" / "digiads.yaml"
_LINE_MARKS = ("__startline__", "__endline__", "__file__")


def app_properties() -> dict[str, str]:
    """src/main/resources/application.properties (key=value lines; a trailing backslash continues one)."""
    text = re.sub(r"\\\n\s*", "", (ROOT / "src/main/resources/application.properties").read_text())
    pairs = (re.split(r"\s*[=:]\s*", line.strip(), maxsplit=1) for line in text.splitlines())
    return {p[0]: p[1] if len(p) > 1 else "" for p in pairs if p[0] and not p[0].startswith(("#", "!"))}


def property_for(variable: str) -> str | None:
    """The key an environment variable binds to under Spring's relaxed binding, or None."""
    return next((key for key in app_properties() if variable in (key.upper().replace(".", "_").replace("-", ""),
                                                                 key.upper().replace(".", "_").replace("-", "_"))),
                None)


API_PORT = int(app_properties()["server.port"])
MANAGEMENT_PORT = int(app_properties()["management.server.port"])
if API_PORT == MANAGEMENT_PORT:
    raise ValueError("server.port and management.server.port must differ: the management port is never public")
LIVENESS = f"http://localhost:{MANAGEMENT_PORT}/actuator/health/liveness"


def plain(value: Any) -> Any:
    """checkov's parsed YAML as plain dicts, lists and scalars (without its line marks)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items() if k not in _LINE_MARKS}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def ref(value: Any) -> str:
    """A CloudFormation value in a comparable form: Ref → name, GetAtt → Name.Attr, Sub → its string."""
    if isinstance(value, dict) and len(value) == 1:
        (function, argument), = value.items()
        if function == "Ref":
            return str(argument)
        if function == "Fn::GetAtt":
            return ".".join(map(str, argument)) if isinstance(argument, list) else str(argument)
        if function == "Fn::Sub":
            return str(argument[0]) if isinstance(argument, list) else str(argument)
    return str(value)


def as_list(value: Any) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def template() -> dict:
    """The whole template as written (checkov's own view fills parameters in with their defaults), also
    for the rules that weigh one resource against others, the parameters or the outputs."""
    stamp = TEMPLATE.stat().st_mtime_ns
    if _cache.get("stamp") != stamp:
        _cache.update(stamp=stamp, template=yaml.safe_load(TEMPLATE.read_text()))
    return _cache["template"]


_cache: dict = {}


def resources_of_type(type_: str) -> dict[str, dict]:
    return {name: r for name, r in template()["Resources"].items() if r.get("Type") == type_}


class _Rule:
    sentence: str
    test: Callable[..., Iterable[str]]

    def _run(self, *args) -> CheckResult:
        try:
            problems = list(self.test(*args))
        except Exception as error:  # a rule that breaks fails (checkov would report nothing)
            problems = [f"the rule itself failed: {error!r}"]
        return self._verdict(problems)

    def _verdict(self, problems: list[str]) -> CheckResult:
        self.name = self.sentence if not problems else f"{self.sentence} -- {'; '.join(problems)}"
        return CheckResult.FAILED if problems else CheckResult.PASSED


class _TemplateRule(_Rule, BaseResourceCheck):
    def __init__(self, id: str, sentence: str, types: list[str], test: Callable[[str, dict], Iterable[str]]):
        self.sentence, self.test = sentence, test
        super().__init__(name=sentence, id=id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_resources=types)

    def scan_resource_conf(self, conf: dict) -> CheckResult:
        logical_id = self.entity_path.rsplit(":", 1)[-1]
        resource = template()["Resources"].get(logical_id) \
            if self.entity_path.split(":", 1)[0].endswith(TEMPLATE.name) else None
        return self._run(logical_id, resource or plain(conf))


def template_rule(id: str, sentence: str, *types: str):
    """Registers test(logical_id, resource) for the template's resources of these types."""
    return lambda test: _TemplateRule(id, sentence, list(types), test)


class Instruction:
    def __init__(self, raw: dict):
        self.keyword, self.args, self.line = raw["instruction"], raw["value"].strip(), raw["startline"]

    def __repr__(self) -> str:
        return f"{self.keyword} {self.args}"


class Stage:
    def __init__(self, name: str, instructions: list[Instruction]):
        self.name, self.instructions = name, instructions

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]

    def args(self, keyword: str) -> list[str]:
        return [i.args for i in self.all(keyword)]


def stages(conf: dict) -> list[Stage]:
    """The Dockerfile's stages in order; a stage is named by FROM ... AS name, or by its position. A FROM
    that names a global ARG shows its default (the image a plain build uses)."""
    instructions = sorted((Instruction(i) for group in conf.values() for i in group if i["instruction"] != "COMMENT"),
                          key=lambda i: i.line)
    found: list[Stage] = []
    global_args: dict[str, str] = {}  # ARG NAME=default before the first FROM, which FROM may use
    for instruction in instructions:
        if instruction.keyword == "ARG" and not found and "=" in instruction.args:
            key, value = instruction.args.split("=", 1)
            global_args[key.strip()] = value.strip().strip('"')
        if instruction.keyword == "FROM":
            instruction.args = re.sub(r"\$\{(\w+)}|\$(\w+)",
                                      lambda m: global_args.get(m.group(1) or m.group(2), m.group(0)), instruction.args)
            words = instruction.args.split()
            named = len(words) >= 3 and words[-2].upper() == "AS"
            found.append(Stage(words[-1] if named else str(len(found)), []))
        if found:
            found[-1].instructions.append(instruction)
    return found


class _DockerfileRule(_Rule, BaseDockerfileCheck):
    def __init__(self, id: str, sentence: str, test: Callable[[list[Stage]], Iterable[str]]):
        self.sentence, self.test = sentence, test
        super().__init__(name=sentence, id=id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_instructions=("*",))

    def scan_resource_conf(self, conf: dict):  # type: ignore[override]  # checkov's "*" form
        path = self.entity_path.split(":", 1)[0]
        if path != "/Dockerfile" and not path.endswith("docker/Dockerfile"):
            return CheckResult.UNKNOWN, None  # the rules are docker/Dockerfile's
        return self._run(stages(conf)), None


def dockerfile_rule(id: str, sentence: str):
    """Registers test(stages) for docker/Dockerfile."""
    return lambda test: _DockerfileRule(id, sentence, test)


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): "" if v is None else str(v) for k, v in env.items()}


def strings(value: Any) -> list[str]:
    return [str(v) for v in as_list(value)]


class _ComposeRule(_Rule, BaseYamlCheck):
    def __init__(self, id: str, sentence: str, test: Callable[[dict, Path], Iterable[str]]):
        self.sentence, self.test = sentence, test
        super().__init__(name=sentence, id=id, categories=[CheckCategories.GENERAL_SECURITY],
                         supported_entities=["services"], block_type="object")

    def scan_entity_conf(self, conf: dict, entity_type: str) -> CheckResult:
        document = plain(conf)
        if not isinstance(document.get("services"), dict) or "AWSTemplateFormatVersion" in document:
            return CheckResult.UNKNOWN  # not a compose file
        file = Path(self.entity_path.split(":", 1)[0])
        if file.name != "compose.yaml":
            return CheckResult.UNKNOWN  # an override file (compose.local.yaml) is read with compose.yaml, not alone
        compose_dir = file.resolve().parent
        return self._run(document["services"], compose_dir)


def compose_rule(id: str, sentence: str):
    """Registers test(services, compose_dir) for every compose file (a YAML document with services)."""
    return lambda test: _ComposeRule(id, sentence, test)
