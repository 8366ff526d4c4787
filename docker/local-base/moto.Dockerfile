# moto server (PyPI) on the local base, in place of the public motoserver/moto image where no image
# registry is reachable: docker/compose.local.yaml builds it for the "moto" and "provision" services.
# Same contract as the public image: moto_server on $MOTO_PORT, python with boto3 on PATH.
# checkov:skip=CKV_DOCKER_7: the base is the local base image, a build argument with a version tag
# checkov:skip=CKV_DOCKER_2: docker/compose.yaml gives this stand-in its health check
ARG BASE=localhost/digiads-base-jre:25
FROM ${BASE}
ARG MOTO_VERSION=5.2.5
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null \
 && rm -rf /var/lib/apt/lists/* \
 && python3 -m venv /opt/moto && /opt/moto/bin/pip install -q --no-cache-dir --disable-pip-version-check "moto[server]==${MOTO_VERSION}"
ENV PATH=/opt/moto/bin:$PATH MOTO_PORT=5000
RUN groupadd --system --gid 10001 moto && useradd --system --uid 10001 --gid moto --no-create-home moto
USER 10001:10001
ENTRYPOINT ["sh", "-c", "exec moto_server -H 0.0.0.0 -p \"$MOTO_PORT\""]
