import os
import shutil
import subprocess
import sys

PROJECT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_pip_installs_the_package_offline_with_its_django_subpackage(tmp_path):
    # Built from a copy, so an in-tree build leaves nothing in the repository.
    source = tmp_path / "source"
    shutil.copytree(PROJECT, source, ignore=shutil.ignore_patterns("tests", "build", "*.egg-info", "__pycache__"))
    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index", "--no-deps", "--quiet",
         "--disable-pip-version-check", str(source), "--target", str(target)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stdout + install.stderr
    code = (
        "import vigil, vigil.django.middleware, vigil.django.logging;"
        "print(vigil.__version__, vigil.__file__.startswith(%r))" % str(target)
    )
    # -S: no site-packages, so the import proves the package needs nothing beyond the standard library.
    run = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(target), "PATH": os.environ.get("PATH", "")})
    assert run.stdout.split() == ["0.1.0", "True"], run.stderr
