"""docker/Dockerfile: a multi-stage build on Java 25 whose last stage is the app, run as a non-root user,
exposing the API and the management port, with liveness as its health check, started from the extracted
jar with the AOT cache of a training run; the local-issuer stage (compose only) runs the development
OAuth2 issuer from the test classes and gives the app's stages nothing. The build context is the
repository root; docker/Dockerfile.dockerignore leaves out all but what the Dockerfile copies.
"""
import re

from digiads_rules import API_PORT, LIVENESS, MANAGEMENT_PORT, ROOT, dockerfile_rule

LOCAL_ISSUER = "digiads.local.LocalIssuer"
LAYERS = ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"]


def user(stage) -> str:
    users = stage.args("USER")
    return users[-1].split(":")[0] if users else "root"


@dockerfile_rule("DIGIADS_DOCKER_1", "A multi-stage build on Temurin; every Temurin stage runs Java 25 (a base given "
                                     "as a build argument by its default); every Maven run skips the build's exec steps "
                                     "(-Dexec.skip=true: the tests' moto venv)")
def stages_and_java(stages):
    if len(stages) < 2:
        yield f"{len(stages)} stage(s)"
    bases = [stage.args("FROM")[0].split()[0] for stage in stages]
    if not any("temurin" in base for base in bases):
        yield "no stage is built on a Temurin image"
    for stage, base in zip(stages, bases):
        if "$" in base:
            yield f"stage {stage.name} is built FROM {base}, a build argument without a default"
        if "temurin" in base and not re.search(r"temurin-25|temurin:25", base):
            yield f"stage {stage.name} is built FROM {base}"
        for run in stage.args("RUN"):
            if "mvnw" in run and "-Dexec.skip=true" not in run:
                yield f"stage {stage.name} runs Maven without -Dexec.skip=true"


@dockerfile_rule("DIGIADS_DOCKER_2", f"The app's stage (the last) runs as a non-root user, exposes {API_PORT} and "
                                     f"{MANAGEMENT_PORT}, checks liveness on the management port, and no "
                                     "JAVA_TOOL_OPTIONS overrides its JVM settings")
def app_stage(stages):
    app = stages[-1]
    if user(app) in ("root", "0", ""):
        yield f"the app runs as {user(app)}"
    exposed = sorted(port for ports in app.args("EXPOSE") for port in ports.split())
    if exposed != sorted([str(API_PORT), str(MANAGEMENT_PORT)]):
        yield f"the app exposes {exposed}"
    checks = app.args("HEALTHCHECK")
    # the management port as the container's setting says, 8081 by default
    liveness = LIVENESS.replace(f":{MANAGEMENT_PORT}/", f":${{MANAGEMENT_SERVER_PORT:-{MANAGEMENT_PORT}}}/")
    if len(checks) != 1 or checks[0].startswith("NONE") or not (LIVENESS in checks[0] or liveness in checks[0]):
        yield f"the app's health check is {checks}, not one on {LIVENESS}"
    if any("JAVA_TOOL_OPTIONS" in env for env in app.args("ENV")):
        yield "the app's stage sets JAVA_TOOL_OPTIONS"


@dockerfile_rule("DIGIADS_DOCKER_3", "The local-issuer stage runs the local issuer from the test classes as a non-root "
                                     "user on 9000; the app's stages take nothing from it and copy no test sources")
def local_issuer(stages):
    by_name = {stage.name: stage for stage in stages}
    issuer = by_name.get("local-issuer")
    if issuer is None:
        yield "no stage local-issuer"
        return
    entrypoints = issuer.args("ENTRYPOINT")
    if len(entrypoints) != 1 or LOCAL_ISSUER not in entrypoints[0] or "test-classes" not in entrypoints[0]:
        yield f"local-issuer runs {entrypoints}, not {LOCAL_ISSUER} from test-classes"
    if user(issuer) in ("root", "0", ""):
        yield f"local-issuer runs as {user(issuer)}"
    if "9000" not in issuer.args("EXPOSE"):
        yield "local-issuer does not expose 9000"
    if not any("test-compile" in run and "-DincludeScope=test" in run for s in stages for run in s.args("RUN")):
        yield "no stage compiles the tests with their test-scoped class path"
    app = stages[-1]
    if "local-issuer" in app.args("FROM")[0] or any("local-issuer" in c or "test-classes" in c for c in app.args("COPY")):
        yield "the app's stage builds on or copies from the local issuer"
    for copy in by_name.get("build", app).args("COPY"):
        if copy.startswith("src/ ") or "src/test" in copy:
            yield f"the app's build stage copies {copy}"


@dockerfile_rule("DIGIADS_DOCKER_4", "The app starts the extracted jar's layers with jvm.options and the AOT cache that "
                                     "a training run in its own stage wrote with the same settings")
def aot_cache(stages):
    app = stages[-1]
    instructions = app.instructions
    layers = [re.sub(r".*/extracted/([a-z-]+)/.*", r"\1", c) for c in app.args("COPY") if "--from=" in c]
    if layers != LAYERS:
        yield f"the app copies the layers {layers}, not {LAYERS}"
    if not any("-Djarmode=tools" in run and "extract --layers --destination" in run and "--launcher" not in run
               for stage in stages for run in stage.args("RUN")):
        yield "no RUN extracts the jar's layers (-Djarmode=tools extract --layers, without the launcher)"

    def first(keyword, text):
        return next((n for n, i in enumerate(instructions) if i.keyword == keyword and text(i.args)), None)

    trained = first("RUN", lambda a: a == "sh train-aot-cache.sh")
    if trained is None:
        yield "the app's stage does not run sh train-aot-cache.sh"
    for copied in ("docker/jvm.options ./", "docker/train-aot-cache.sh ./"):
        at = first("COPY", lambda a: a == copied)
        if at is None or trained is None or at > trained:
            yield f"COPY {copied} is not in the app's stage before the training run"
    entrypoint = (app.args("ENTRYPOINT") or [""])[-1]
    if '"java", "@jvm.options", "-XX:AOTCache=app.aot"' not in entrypoint or '"-jar", "application.jar"' not in entrypoint:
        yield f"the app starts with {entrypoint}"


def ignored(path: str, patterns: list[str]) -> bool:
    """Docker's matching of the patterns in order: a later "!pattern" takes a path back in."""
    result = False
    for pattern in patterns:
        bare = pattern.removeprefix("!")
        if path == bare or path.startswith(bare + "/"):
            result = not pattern.startswith("!")
    return result


@dockerfile_rule("DIGIADS_DOCKER_5", "Every COPY from the build context (the repository) exists and is not left out "
                                     "by docker/Dockerfile.dockerignore, which leaves out target/, venvs and .git; the "
                                     "JVM's settings are docker/jvm.options, with which the training run starts the app "
                                     "until it has started; inline checkov skips give their reasons")
def build_context(stages):
    lines = (ROOT / "docker/Dockerfile.dockerignore").read_text().splitlines()
    patterns = [line.strip().rstrip("/") for line in lines if line.strip() and not line.strip().startswith("#")]
    for needed in ("target", ".venv-moto", ".git"):
        if needed not in patterns:
            yield f"the .dockerignore does not leave out {needed}"
    sources = [word for stage in stages for copy in stage.args("COPY") if "--from=" not in copy
               for word in [w for w in copy.split() if not w.startswith("--")][:-1]]
    for needed in ("pom.xml", "src/main/", "src/test/", "docker/jvm.options", "docker/train-aot-cache.sh"):
        if needed not in sources:
            yield f"no COPY {needed}"
    for source in sources:
        path = source.rstrip("/")
        if not (ROOT / path).exists():
            yield f"COPY {source}: no such file in the repository"
        elif ignored(path, patterns):
            yield f"COPY {source}: left out by docker/Dockerfile.dockerignore"
    if "-XX:MaxRAMPercentage=" not in (ROOT / "docker/jvm.options").read_text():
        yield "docker/jvm.options does not size the heap from the container (-XX:MaxRAMPercentage=)"
    script = (ROOT / "docker/train-aot-cache.sh").read_text()
    for needed in (r"java @jvm.options -XX:AOTCacheOutput=app.aot (-D\S+ )*-jar", r'grep -q "Started DigiadsApplication"'):
        if not re.search(needed, script):
            yield f"train-aot-cache.sh does not run {needed}"
    if "spring.context.exit" in script:
        yield "train-aot-cache.sh stops the app before it has started (spring.context.exit)"
    for line in (ROOT / "docker/Dockerfile").read_text().splitlines():
        skip = re.search(r"checkov:skip=([A-Z0-9_]+)(.*)", line)
        if skip and not re.fullmatch(r":\s*\S.{10,}", skip.group(2)):
            yield f"the Dockerfile skips {skip.group(1)} without a reason"
