"""docker/compose.yaml: the app and everything it talks to. moto (and provision, which creates
infra/resources.json's resources in it), the labeler (a real model behind DetectLabels), the Deals and
Rekognition stand-ins (WireMock), the local OAuth2
issuer (the Dockerfile's local-issuer stage) and the app, started in that order; the management port is
published on 127.0.0.1 only; every DIGIADS_* variable binds to a setting of the app. The images' versions
equal pom.xml's: DeployFilesTest.
"""
import json
import re
from pathlib import Path

from digiads_rules import (API_PORT, LIVENESS, MANAGEMENT_PORT, ROOT, app_properties, compose_rule, environment,
                           property_for, strings)

SERVICES = ["moto", "provision", "labeler", "rekognition", "deals", "issuer", "app"]
APP_ENVIRONMENT = ["DIGIADS_AWS_ENDPOINT_OVERRIDE", "DIGIADS_AWS_ACCESS_KEY_ID", "DIGIADS_AWS_SECRET_ACCESS_KEY",
                   "DIGIADS_AWS_ACCOUNT_ID", "DIGIADS_SQS_BASE_URL", "DIGIADS_DEALS_BASE_URL", "DIGIADS_DEALS_API_KEY"]
MOTO_ACCOUNT = "123456789012"
# The Deals settings, which application.properties has no key for (Spring binds them all the same).
ALLOWED_WITHOUT_PROPERTY = {"DIGIADS_DEALS_BASE_URL", "DIGIADS_DEALS_API_KEY"}


def compare(pairs):
    for what, found, wanted in pairs:
        if found != wanted:
            yield f"{what} is {found}, not {wanted}"


def depends(services, service, on):
    return ((services.get(service, {}).get("depends_on") or {}).get(on) or {}).get("condition")


def moto_url(services):
    return f"http://moto:{environment(services.get('moto', {})).get('MOTO_PORT', '5000')}"


def host_path(service: dict, container_path: str, compose_dir: Path):
    """The host path behind a container path of the service, through its bind mounts."""
    for volume in strings(service.get("volumes")):
        source, target = volume.split(":")[:2]
        if container_path == target or container_path.startswith(target.rstrip("/") + "/"):
            return (compose_dir / source / container_path[len(target):].lstrip("/")).resolve()
    return None


@compose_rule("DIGIADS_COMPOSE_1", "compose runs moto, provision, the labeler, the two stand-ins, the issuer and the "
                                   "app, the app and the issuer built from the repository with docker/Dockerfile, the "
                                   "labeler from src/test/labeler with docker/labeler.Dockerfile")
def services_and_builds(services, compose_dir):
    for name in SERVICES:
        if name not in services:
            yield f"no service {name}"
    for name, wanted_context, dockerfile, target in (
            ("app", ROOT, "Dockerfile", None), ("issuer", ROOT, "Dockerfile", "local-issuer"),
            ("labeler", ROOT / "src" / "test" / "labeler", "labeler.Dockerfile", None)):
        build = services.get(name, {}).get("build") or {}
        context = (compose_dir / str(build.get("context"))).resolve()
        yield from compare([(f"{name}'s build context", context, wanted_context),
                            (f"{name}'s dockerfile", (context / str(build.get("dockerfile"))).resolve(),
                             ROOT / "docker" / dockerfile),
                            (f"{name}'s build target", build.get("target"), target)])


@compose_rule("DIGIADS_COMPOSE_2", f"The app publishes the API port {API_PORT} and the management port "
                                   f"{MANAGEMENT_PORT} on 127.0.0.1 only (no service publishes it further) and checks "
                                   "liveness on the management port")
def ports(services, compose_dir):
    app = services.get("app", {})
    published = strings(app.get("ports"))
    for port in (f"{API_PORT}:{API_PORT}", f"127.0.0.1:{MANAGEMENT_PORT}:{MANAGEMENT_PORT}"):
        if port not in published:
            yield f"the app does not publish {port}"
    for name, service in services.items():
        for port in strings(service.get("ports")):
            if re.search(rf":{MANAGEMENT_PORT}(/tcp)?$", port) and not port.startswith("127.0.0.1:"):
                yield f"{name} publishes the management port as {port}"
    if "expose" in app:
        yield "the app has expose"
    if LIVENESS not in " ".join(strings((app.get("healthcheck") or {}).get("test"))):
        yield f"the app's health check is not {LIVENESS}"


@compose_rule("DIGIADS_COMPOSE_3", "The app trusts the local issuer (the tokens' iss is the issuer's URL on the host, "
                                   "the keys come through the network) and refuses to start without an operator password")
def issuer(services, compose_dir):
    issuer_env = environment(services.get("issuer", {}))
    port = issuer_env.get("SERVER_PORT", "9000")
    app_env = environment(services.get("app", {}))
    yield from compare([
        ("the issuer's LOCAL_ISSUER_URL", issuer_env.get("LOCAL_ISSUER_URL"), "http://localhost:9000"),
        ("the issuer's ports", strings(services.get("issuer", {}).get("ports")), [f"9000:{port}"]),
        ("DIGIADS_SECURITY_ISSUER_URI", app_env.get("DIGIADS_SECURITY_ISSUER_URI"), issuer_env.get("LOCAL_ISSUER_URL")),
        ("DIGIADS_SECURITY_JWK_SET_URI", app_env.get("DIGIADS_SECURITY_JWK_SET_URI"), f"http://issuer:{port}/oauth2/jwks"),
        ("the app's wait for the issuer", depends(services, "app", "issuer"), "service_healthy"),
        ("SPRING_SECURITY_USER_PASSWORD is ${DIGIADS_ADMIN_PASSWORD:?...}",
         bool(re.fullmatch(r"\$\{DIGIADS_ADMIN_PASSWORD:\?[^}]+}", app_env.get("SPRING_SECURITY_USER_PASSWORD", ""))),
         True)])


def detect_labels_proxy(rekognition: dict, compose_dir: Path):
    """Where the stand-in's mappings send DetectLabels: the proxyBaseUrl of the stub for its X-Amz-Target."""
    for volume in strings(rekognition.get("volumes")):
        source = (compose_dir / volume.split(":")[0]).resolve()
        for mapping in sorted(source.glob("*.json")) if source.is_dir() else []:
            stub = json.loads(mapping.read_text())
            target = ((stub.get("request") or {}).get("headers") or {}).get("X-Amz-Target") or {}
            if target.get("equalTo") == "RekognitionService.DetectLabels":
                return (stub.get("response") or {}).get("proxyBaseUrl")
    return None


@compose_rule("DIGIADS_COMPOSE_4", "The app reaches moto (account 123456789012, queue URLs from the base URL), the "
                                   "Deals stand-in and the Rekognition stand-in, which sends DetectLabels to the labeler, "
                                   "answers moderation and passes the rest on to moto")
def app_environment(services, compose_dir):
    env = environment(services.get("app", {}))
    for variable in APP_ENVIRONMENT:
        if variable not in env:
            yield f"the app has no {variable}"
    rekognition = services.get("rekognition", {})
    yield from compare([
        ("DIGIADS_AWS_ENDPOINT_OVERRIDE", env.get("DIGIADS_AWS_ENDPOINT_OVERRIDE"), moto_url(services)),
        ("DIGIADS_AWS_ACCOUNT_ID", env.get("DIGIADS_AWS_ACCOUNT_ID"), MOTO_ACCOUNT),
        ("DIGIADS_SQS_BASE_URL", env.get("DIGIADS_SQS_BASE_URL"), f"{moto_url(services)}/{MOTO_ACCOUNT}"),
        ("DIGIADS_DEALS_BASE_URL", env.get("DIGIADS_DEALS_BASE_URL"), "http://deals:8080"),
        ("DIGIADS_AWS_REKOGNITION_ENDPOINT_OVERRIDE", env.get("DIGIADS_AWS_REKOGNITION_ENDPOINT_OVERRIDE"),
         "http://rekognition:8080"),
        ("rekognition passes on to moto", f"--proxy-all={moto_url(services)}" in strings(rekognition.get("command")),
         True),
        ("rekognition's DetectLabels stub proxies to", detect_labels_proxy(rekognition, compose_dir),
         "http://labeler:8080"),
        ("the labeler reads S3 from", environment(services.get("labeler", {})).get("S3_ENDPOINT"), moto_url(services)),
        ("rekognition's image", rekognition.get("image"), services.get("deals", {}).get("image")),
        ("the Deals stand-in templates its responses",
         "--global-response-templating" in strings(services.get("deals", {}).get("command")), True)])


@compose_rule("DIGIADS_COMPOSE_5", "Start order: moto healthy, then provision to completion, then the app once the "
                                   "issuer and the stand-ins are up; each long-running service has a health check")
def start_order(services, compose_dir):
    yield from compare([("provision's wait for moto", depends(services, "provision", "moto"), "service_healthy"),
                        ("the app's wait for provision", depends(services, "app", "provision"),
                         "service_completed_successfully"),
                        ("the app's wait for rekognition", depends(services, "app", "rekognition"), "service_healthy"),
                        ("rekognition's wait for the labeler", depends(services, "rekognition", "labeler"),
                         "service_healthy"),
                        ("the app waits for deals", depends(services, "app", "deals") in ("service_started",
                                                                                         "service_healthy"), True)])
    for name in ("moto", "labeler", "rekognition", "deals", "issuer", "app"):
        check = services.get(name, {}).get("healthcheck") or {}
        if "test" not in check or check.get("disable") is True:
            yield f"{name} has no health check"


@compose_rule("DIGIADS_COMPOSE_6", "Bind mounts exist; provision runs docker/provision/provision.py on "
                                   "infra/resources.json (RESOURCES_DEFINITION)")
def mounts(services, compose_dir):
    for name, service in services.items():
        for volume in strings(service.get("volumes")):
            source = volume.split(":")[0]
            if source.startswith(".") and not (compose_dir / source).exists():
                yield f"{name} mounts {source}, which does not exist"
    provision = services.get("provision", {})
    script = re.search(r"(/\S+\.py)", " ".join(strings(provision.get("entrypoint"))))
    definition = environment(provision).get("RESOURCES_DEFINITION")
    yield from compare([
        ("provision's script", script and host_path(provision, script.group(1), compose_dir),
         ROOT / "docker/provision/provision.py"),
        ("provision's RESOURCES_DEFINITION", definition and host_path(provision, definition, compose_dir),
         ROOT / "infra/resources.json"),
        ("provision.py reads RESOURCES_DEFINITION",
         '"RESOURCES_DEFINITION"' in (ROOT / "docker/provision/provision.py").read_text(), True)])


@compose_rule("DIGIADS_COMPOSE_7", "Every DIGIADS_* variable of compose and of provision.py binds to a key of "
                                   "application.properties, provision.py's defaults are the app's, and every inline "
                                   "checkov skip gives its reason")
def settings(services, compose_dir):
    for name, service in services.items():
        for variable in environment(service):
            if variable.startswith("DIGIADS_") and variable not in ALLOWED_WITHOUT_PROPERTY \
                    and property_for(variable) is None:
                yield f"{name} sets {variable}, which binds to no key of application.properties"
    script = (ROOT / "docker/provision/provision.py").read_text()
    defaults = dict(re.findall(r'setting\("(DIGIADS_[A-Z0-9_]+)",\s*"([^"]*)"', script))
    for variable in ("DIGIADS_S3_BUCKET", "DIGIADS_S3_KEY_PREFIX", "DIGIADS_DYNAMODB_TABLE",
                     "DIGIADS_DYNAMODB_LABELS_TABLE", "DIGIADS_AWS_REGION"):
        if variable not in re.findall(r'setting\("(DIGIADS_[A-Z0-9_]+)"', script):
            yield f"provision.py does not read {variable}"
    for variable in re.findall(r'setting\("(DIGIADS_[A-Z0-9_]+)"', script):
        key = property_for(variable)
        if key is None:
            yield f"provision.py reads {variable}, which binds to no key of application.properties"
        elif variable in defaults and not key.startswith("digiads.aws.endpoint") and "access-key" not in key \
                and "secret" not in key and defaults[variable] != app_properties().get(key):
            yield f"provision.py defaults {variable} to {defaults[variable]}, the app {key} to {app_properties().get(key)}"
    for made in ('f"DIGIADS_SQS_{role.upper()}"', 'variable + "_QUEUE"', 'variable + "_DLQ"'):
        if made not in script:
            yield f"provision.py does not make the queues' variables from their roles ({made})"
    for line in (compose_dir / "compose.yaml").read_text().splitlines():
        skip = re.search(r"checkov:skip=([A-Z0-9_]+)(.*)", line)
        if skip and not re.fullmatch(r":\s*\S.{10,}", skip.group(2)):
            yield f"compose.yaml skips {skip.group(1)} without a reason"
