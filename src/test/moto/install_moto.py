"""Creates the project-local virtual environment that holds moto server, the AWS emulator.

Usage: python3 install_moto.py VENV_DIR MOTO_VERSION

Idempotent: a venv whose marker names the wanted version is reused as it is; anything else
(missing, half-installed, other version) is rebuilt. The marker is written last, so an
interrupted install is never mistaken for a good one.
"""
import os
import shutil
import subprocess
import sys
import venv


def main(venv_dir: str, version: str) -> int:
    marker = os.path.join(venv_dir, ".moto-version")
    server = os.path.join(venv_dir, "bin", "moto_server")
    if os.path.isfile(marker) and os.path.isfile(server):
        with open(marker, encoding="utf-8") as f:
            if f.read().strip() == version:
                print(f"moto {version} ready in {venv_dir}")
                return 0
    print(f"Installing moto[server]=={version} into {venv_dir} (once)", flush=True)
    shutil.rmtree(venv_dir, ignore_errors=True)
    venv.EnvBuilder(with_pip=True).create(venv_dir)
    pip = [os.path.join(venv_dir, "bin", "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    subprocess.run(pip + ["install", f"moto[server]=={version}"], check=True)
    with open(marker, "w", encoding="utf-8") as f:
        f.write(version)
    print(f"moto {version} installed")
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except subprocess.CalledProcessError as e:
        print(f"moto install failed: {e}", file=sys.stderr)
        sys.exit(1)
