"""Find the newest release live: the ONS website's dataset JSON and the Nomis API.

ONS dataset pages answer `GET {page}/data` with JSON. A landing page lists its editions under
`datasets` (each with a `uri`); an edition's JSON lists its files under `downloads` (`file`), and
a file is fetched from `{ons_base}/file?uri={edition uri}/{file}`. Nothing is hard-coded beyond
the landing page paths.
"""

from __future__ import annotations

import re

from ..acquire import Discovered, PublisherRelease, RemoteFile
from ..http import FetchError, HttpClient
from ..ons_versions import current_version_identity, previous_version_files
from ..release_calendar import ons_next_release, ons_previous_versions
from . import nomis

ONS_BASE = "https://www.ons.gov.uk"
NOMIS_BASE = "https://www.nomisweb.co.uk"
LWF_PATH = (
    "/employmentandlabourmarket/peopleinwork/earningsandworkinghours/datasets/"
    "numberandproportionofemployeejobswithhourlypaybelowthelivingwage"
)
ASHE_TABLE8_PATH = (
    "/employmentandlabourmarket/peopleinwork/earningsandworkinghours/datasets/"
    "placeofresidencebylocalauthorityashetable8"
)
LA_TYPE = re.compile(r"local authorities: district / unitary \(as of April (\d{4})\)", re.I)


def edition_rank(uri: str) -> tuple[int, int]:
    """Newest data year first; for one year a revised edition beats the provisional one."""
    slug = uri.rstrip("/").rsplit("/", 1)[-1].lower()
    years = [int(y) for y in re.findall(r"(?:19|20)\d\d", slug)]
    return (max(years) if years else -1, 1 if "revised" in slug else 0)


def edition_files(
    http: HttpClient, ons_base: str, landing_path: str, *, all_editions: bool = True
) -> tuple[list[RemoteFile], list[PublisherRelease]]:
    """Every edition's files (newest first; the newest only when all_editions is False), each
    edition's previous versions' files after it (sources/ons_versions.py), and the editions as
    listed (previous versions as superseded). An edition file's URL names that edition for good, so
    it is immutable."""
    base = ons_base.rstrip("/")
    landing_url = f"{base}{landing_path}/data"
    landing = http.get_json(landing_url)
    editions = [d.get("uri") for d in (landing or {}).get("datasets") or [] if d.get("uri")]
    if not editions:
        raise FetchError(landing_url, "the dataset page lists no editions under 'datasets'")
    files: list[RemoteFile] = []
    listed = ons_next_release(landing)
    for uri in sorted(editions, key=edition_rank, reverse=True):
        if files and not all_editions:
            break
        edition_url = f"{base}{uri}/data"
        try:
            edition = http.get_json(edition_url)
        except FetchError as exc:
            if exc.reason == "HTTP 404" and uri != max(editions, key=edition_rank):
                continue  # listed but gone: the newest edition's page must answer
            raise
        names = [d.get("file") for d in (edition or {}).get("downloads") or [] if d.get("file")]
        if not names:
            raise FetchError(edition_url, "the edition lists no files under 'downloads'")
        desc = edition.get("description") or {}
        label = desc.get("edition") or uri.rstrip("/").rsplit("/", 1)[-1]
        released = str(desc.get("releaseDate") or "")[:10] or None
        listed.append(PublisherRelease(label, released, url=f"{base}{uri}"))
        listed += ons_previous_versions(base, edition, label)
        files += [
            RemoteFile(
                url=f"{base}/file?uri={uri}/{f}",
                name=f,
                release=label,
                release_date=released,
                immutable=True,
                identity=current_version_identity(f"{base}/file?uri={uri}/{f}", edition),
            )
            for f in names
        ]
        files += previous_version_files(http, base, edition, label, lambda found: found)
    return files, listed


def newest_la_geography(http: HttpClient, nomis_base: str, dataset: str) -> str:
    """e.g. 'TYPE432': the newest 'district / unitary (as of April YYYY)' type Nomis offers."""
    url = f"{nomis_base.rstrip('/')}/api/v01/dataset/{dataset}/geography/TYPE.def.sdmx.json"
    doc = http.get_json(url)
    try:
        codes = doc["structure"]["codelists"]["codelist"][0]["code"]
    except (KeyError, IndexError, TypeError):
        raise FetchError(url, "unexpected SDMX JSON: no structure.codelists.codelist[0].code") from None
    vintages = []
    for code in codes:
        match = LA_TYPE.search(str((code.get("description") or {}).get("value", "")))
        if match:
            vintages.append((int(match.group(1)), str(code["value"])))
    if not vintages:
        raise FetchError(url, "no 'local authorities: district / unitary' geography type listed")
    value = max(vintages)[1]
    return value if value.upper().startswith("TYPE") else f"TYPE{value}"


def discover(
    http: HttpClient,
    *,
    ons_base: str = ONS_BASE,
    nomis_base: str = NOMIS_BASE,
    include_nomis: bool = True,
    include_ashe_table8: bool = False,
) -> Discovered:
    """Every living-wage edition's zip (each year's provisional and revised; the newest edition of a
    year supplies it), plus Nomis median weekly and hourly pay (resident and workplace, authorities and
    England) for every April from nomis.FIRST_YEAR to the latest.

    ASHE Table 8 (a large zip of every pay measure) is optional: the Nomis extracts carry the
    same median pay estimates in a few kilobytes. When asked for, every edition is loaded.
    """
    files, listed = edition_files(http, ons_base, LWF_PATH)
    if include_ashe_table8:
        files += edition_files(http, ons_base, ASHE_TABLE8_PATH)[0]
    if include_nomis:
        for dataset in nomis.DATASETS:
            geography = newest_la_geography(http, nomis_base, dataset)
            span = nomis.years_since(nomis.latest_year(http, nomis_base, dataset))
            url = nomis.data_url(nomis_base, dataset, geography, span)
            files.append(RemoteFile(url=url, name=nomis.file_name(dataset)))
    return Discovered(files, listed)
