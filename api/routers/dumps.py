"""GET /v1/dumps: the bulk dumps published with `ppne publish dump`, and the latest one's
files (CSV, Parquet and datapackage.json)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from api.deps import SettingsDep
from api.errors import ERROR_RESPONSES
from services.dumps import latest_dump_file, list_dumps

router = APIRouter(tags=["dumps"], responses=ERROR_RESPONSES)
_MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".parquet": "application/vnd.apache.parquet",
    ".json": "application/json",
}


class Dump(BaseModel):
    """A published dump: its name (its UTC time) and its files with their sizes in bytes."""

    name: str = Field(examples=["20261130T053125Z"])
    files: dict[str, int]
    latest_urls: dict[str, str] | None = Field(
        default=None, description="Where to download the latest dump's files"
    )


@router.get("/v1/dumps")
def dumps(settings: SettingsDep) -> list[Dump]:
    """List the published dumps, the newest first."""
    found = list_dumps(settings.out_dir / "dumps")
    return [
        Dump(
            name=dump.name,
            files=dump.files,
            latest_urls={name: f"/v1/dumps/latest/{name}" for name in dump.files}
            if n == 0
            else None,
        )
        for n, dump in enumerate(found)
    ]


@router.get(
    "/v1/dumps/latest/{name}",
    response_class=FileResponse,
    responses={200: {"content": {media: {} for media in _MEDIA_TYPES.values()}}},
)
def latest_dump(
    settings: SettingsDep,
    name: Annotated[str, Path(pattern=r"^[a-z_]+\.(csv|parquet|json)$", max_length=64)],
) -> FileResponse:
    """Download a file of the latest dump, e.g. observations.parquet or datapackage.json."""
    path = latest_dump_file(settings.out_dir / "dumps", name)
    return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], filename=name)
