"""Generate the client from swagger/planetarycomputer.yaml, swagger/client.yaml and swagger/compat.yaml.

python swagger/generate.py           write the generated files
python swagger/generate.py --check   exit 1 and list the files that differ
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from codegen import emit_client, emit_compat, emit_groups, emit_models, emit_operations, unasync  # noqa: E402
from codegen.spec import load  # noqa: E402
from codegen.writer import format_python  # noqa: E402

PACKAGE = Path("azure") / "planetarycomputer"


def render() -> Dict[Path, str]:
    """Every generated file, by path relative to the repository root, formatted."""
    definition = load(HERE)
    compat = emit_compat.load_compat(HERE, ROOT, definition)
    files = {
        PACKAGE / "_version.py": emit_client.emit_version(definition),
        PACKAGE / "__init__.py": emit_client.emit_package_init(definition, async_=False),
        PACKAGE / "_configuration.py": emit_client.emit_configuration(definition, async_=False),
        PACKAGE / "_client.py": emit_client.emit_client(definition, async_=False),
        PACKAGE / "models" / "__init__.py": emit_models.emit_models_init(definition),
        PACKAGE / "models" / "_models.py": emit_models.emit_models(definition),
        PACKAGE / "models" / "_enums.py": emit_models.emit_enums(definition),
        PACKAGE / "operations" / "__init__.py": emit_operations.emit_operations_init(definition, async_=False),
        PACKAGE / "operations" / "_operations.py": emit_operations.emit_operations(definition, async_=False),
        PACKAGE / "operations" / "_groups.py": emit_groups.emit_groups(definition, async_=False),
        PACKAGE / "aio" / "operations" / "_groups.py": emit_groups.emit_groups(definition, async_=True),
        PACKAGE / "aio" / "__init__.py": emit_client.emit_package_init(definition, async_=True),
        PACKAGE / "aio" / "_configuration.py": emit_client.emit_configuration(definition, async_=True),
        PACKAGE / "aio" / "_client.py": emit_client.emit_client(definition, async_=True),
        PACKAGE / "aio" / "operations" / "__init__.py": emit_operations.emit_operations_init(definition, async_=True),
        PACKAGE / "aio" / "operations" / "_operations.py": emit_operations.emit_operations(definition, async_=True),
        PACKAGE / "operations" / "_compat.py": emit_compat.emit_compat(definition, compat, async_=False),
        PACKAGE / "aio" / "operations" / "_compat.py": emit_compat.emit_compat(definition, compat, async_=True),
    }
    config = ROOT / "pyproject.toml"
    rendered = {path: format_python(text, config, str(path)) for path, text in files.items()}
    # The sync twins of the hand-written async modules (written once, under aio/).
    rendered.update({PACKAGE / rel: text for rel, text in unasync.render(ROOT / PACKAGE, config).items()})
    return rendered


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on differences")
    args = parser.parse_args()
    files = render()
    stale = []
    for rel, text in files.items():
        target = ROOT / rel
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        if args.check:
            stale.append(str(rel))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            print(f"wrote {rel}")
    if stale:
        print("Generated code is stale; run `python swagger/generate.py` and commit:", file=sys.stderr)
        for rel in stale:
            print(f"  {rel}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
