"""docker/Dockerfile: a multi-stage build on Java 25 whose last stage is the app, run as a non-root user,
exposing the API and the management port, with liveness as its health check, started from the extracted
jar with the AOT cache of a training run; the local-issuer stage (compose only) runs the development
OAuth2 issuer from the test classes and gives the app's stages nothing. The build context and its
.dockerignore: DeployFilesTest (the files it names exist and are not ignored).
"""
import re

from digiads_rules import API_PORT, LIVENESS, MANAGEMENT_PORT, dockerfile_rule

LOCAL_ISSUER = "digiads.local.LocalIssuer"
LAYERS = ["dependencies", "spring-boot-loader", "snapshot-dependencies", "application"]


def user(stage) -> str:
    users = stage.args("USER")
    return users[-1].split(":")[0] if users else "root"


@dockerfile_rule("DIGIADS_DOCKER_1", "A multi-stage build; every Temurin stage runs Java 25; every Maven run skips "
                                     "the build's exec steps (-Dexec.skip=true: the tests' moto venv)")
def stages_and_java(stages):
    if len(stages) < 2:
        yield f"{len(stages)} stage(s)"
    for stage in stages:
        for base in stage.args("FROM"):
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
    if len(checks) != 1 or checks[0].startswith("NONE") or LIVENESS not in checks[0]:
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
