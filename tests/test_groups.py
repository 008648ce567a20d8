"""The public operation group classes: generated class plus the hand-written mixins client.yaml names."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from azure.planetarycomputer import PlanetaryComputerProClient, StaticTokenCredential, aio, operations

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "swagger"))

from codegen import spec  # noqa: E402


@pytest.mark.parametrize("package", [operations, aio.operations])
def test_each_group_derives_from_its_mixins_then_the_generated_class(package: Any) -> None:
    config = yaml.safe_load((ROOT / "swagger" / "client.yaml").read_text(encoding="utf-8"))
    generated = package._operations
    for group in config["groups"].values():
        public = getattr(package, group["class"])
        assert public.__module__ == f"{package.__name__}._groups"
        mixins = [getattr(getattr(package, m.split(".")[0]), m.split(".")[1]) for m in group.get("mixins", [])]
        assert list(public.__bases__) == [*mixins, getattr(generated, group["class"])]
        for mixin in mixins:
            assert issubclass(mixin, getattr(generated, group["class"]))


def test_the_client_uses_the_public_group_classes() -> None:
    client = PlanetaryComputerProClient("https://contoso.geocatalog.spatio.azure.com", StaticTokenCredential())
    assert type(client.stac) is operations.StacOperations
    assert type(client.sas) is operations.SasOperations and client.shared_access_signature is client.sas
    assert operations.SharedAccessSignatureOperations is operations.SasOperations
    assert callable(client.stac.item_search) and callable(client.ingestion.ingest_items)


def test_a_mixin_must_name_a_module_and_a_class(tmp_path: Path) -> None:
    for name in ("planetarycomputer.yaml", "client.yaml"):
        shutil.copy(ROOT / "swagger" / name, tmp_path / name)
    config = (tmp_path / "client.yaml").read_text(encoding="utf-8")
    assert "mixins: [_stac_patch.StacConveniences," in config
    config = config.replace("mixins: [_stac_patch.StacConveniences,", "mixins: [StacConveniences,")
    (tmp_path / "client.yaml").write_text(config, encoding="utf-8")
    with pytest.raises(spec.DefinitionError, match="mixin 'StacConveniences' is not '_module.Class'"):
        spec.load(tmp_path)
