"""A client file: read it, correct it, change its status, list an organisation's files.

Income and rent are shown only to a reader with finances:read in the file's organisation;
the others get them as null with `finances_restricted` true.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, or_, select

from core.errors import N_, InvalidInput
from core.models import Client, ClientPause, Organisation, Region
from services.access.actor import Actor
from services.access.roles import Permission
from services.records.audit import audit
from services.records.client_models import (
    ClientChanges,
    ClientPage,
    ClientSummary,
    ClientView,
    MergedInto,
    StatusChange,
)
from services.records.duplicates import folded_name
from services.records.scope import client_for, organisation_for
from services.records.territories import normalise_postal_code, territory_for_postal_code

MAX_PER_PAGE = 200


def client_view(session: Session, actor: Actor, client: Client) -> ClientView:
    """The file as `actor` may see it (no permission check, no audit: the caller did both)."""
    assert client.id is not None
    organisation = session.get(Organisation, client.organisation_id)
    territory = session.get(Region, client.territory_id) if client.territory_id else None
    merged_into = session.get(Client, client.merged_into_id) if client.merged_into_id else None
    sees_finances = actor.allows(Permission.FINANCES_READ, client.organisation_id)
    today = date.today()
    paused = session.exec(
        select(ClientPause.id).where(
            ClientPause.client_id == client.id,
            ClientPause.starts_on <= today,
            or_(col(ClientPause.ends_on).is_(None), col(ClientPause.ends_on) >= today),
        )
    ).first()
    return ClientView(
        id=client.id,
        organisation=organisation.slug if organisation else "",
        file_number=client.file_number,
        first_name=client.first_name,
        last_name=client.last_name,
        birth_date=client.birth_date,
        language=client.language,
        phone=client.phone,
        email=client.email,
        address=client.address,
        postal_code=client.postal_code,
        territory=territory.code if territory else None,
        household_members=client.household_members,
        monthly_income=client.monthly_income if sees_finances else None,
        monthly_rent=client.monthly_rent if sees_finances else None,
        finances_restricted=not sees_finances,
        referral_source=client.referral_source,
        status=client.status,
        status_reason=client.status_reason,
        closed_on=client.closed_on,
        paused_today=paused is not None,
        merged_into=(
            MergedInto(id=merged_into.id, file_number=merged_into.file_number)
            if merged_into is not None and merged_into.id is not None
            else None
        ),
        created_on=client.created_at.date(),
    )


def writable(client: Client) -> None:
    """Refuse a write to a merged file: its history stays, new records go to the kept one."""
    if client.merged_into_id is not None:
        raise InvalidInput(
            N_("file %(file_number)s was merged into client %(merged_into_id)s: write to that one"),
            file_number=client.file_number,
            merged_into_id=client.merged_into_id,
        )


def territory_id_for(session: Session, postal_code: str | None) -> tuple[str | None, int | None]:
    """The normalised postal code and its territory's id (None outside the FSA table)."""
    if not postal_code:
        return None, None
    region = territory_for_postal_code(session, postal_code)
    return normalise_postal_code(postal_code), region.id if region else None


def read_client(session: Session, actor: Actor, client_id: int) -> ClientView:
    """Read a client file (audited). A merged file answers with `merged_into` set."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_READ)
    view = client_view(session, actor, client)
    audit(session, actor, "read", "client", record_id=client.id, client=client)
    session.commit()
    return view


def update_client(
    session: Session, actor: Actor, client_id: int, changes: ClientChanges
) -> ClientView:
    """Change the fields sent; the audit row names the fields, never their values."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    values = changes.model_dump(exclude_unset=True)
    for required in ("first_name", "last_name", "language"):
        if required in values and values[required] is None:
            raise InvalidInput(N_("%(required)s cannot be emptied"), required=required)
    if "postal_code" in values:
        values["postal_code"], client.territory_id = territory_id_for(
            session, values["postal_code"]
        )
    changed = sorted(name for name, value in values.items() if getattr(client, name) != value)
    for name, value in values.items():
        setattr(client, name, value)
    session.add(client)
    audit(
        session,
        actor,
        "update",
        "client",
        record_id=client.id,
        client=client,
        detail="fields: " + (", ".join(changed) or "none"),
    )
    session.commit()
    session.refresh(client)
    return client_view(session, actor, client)


def change_status(
    session: Session, actor: Actor, client_id: int, change: StatusChange
) -> ClientView:
    """Set a file active, paused or closed; pausing and closing need a reason."""
    client = client_for(session, actor, client_id, Permission.CLIENTS_WRITE)
    writable(client)
    if change.status != "active" and not (change.reason or "").strip():
        raise InvalidInput(N_("say why the file is %(status)s (reason)"), status=change.status)
    previous = client.status
    client.status = change.status
    client.status_reason = change.reason
    client.closed_on = (change.closed_on or date.today()) if change.status == "closed" else None
    session.add(client)
    audit(
        session,
        actor,
        "update",
        "client",
        record_id=client.id,
        client=client,
        detail=f"status: {previous} -> {change.status}",
    )
    session.commit()
    session.refresh(client)
    return client_view(session, actor, client)


def search_clients(
    session: Session,
    actor: Actor,
    *,
    organisation: str | None = None,
    text: str | None = None,
    status: str | None = None,
    include_merged: bool = False,
    page: int = 1,
    per_page: int = 50,
) -> ClientPage:
    """An organisation's files by name or file number and status, a page at a time.

    The text matches words of the name or the file number, ignoring case and accents ("eve"
    finds "Ève"); it is applied in Python over the organisation's summary columns, which for
    some thousands of files is quicker than asking each database to fold accents alike.
    One audit row for the list ("client_list"), its filters in the detail.
    """
    owner = organisation_for(session, actor, Permission.CLIENTS_READ, organisation)
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise InvalidInput(
            N_("page starts at 1 and per_page is 1 to %(maximum)s"), maximum=MAX_PER_PAGE
        )
    conditions: list[ColumnElement[bool]] = [
        col(Client.organisation_id) == owner.id,
        col(Client.anonymised_at).is_(None),
    ]
    if not include_merged:
        conditions.append(col(Client.merged_into_id).is_(None))
    if status:
        conditions.append(col(Client.status) == status)
    # SQLModel's select stops at four columns; SQLAlchemy's takes the seven.
    rows = session.execute(
        select_columns(
            col(Client.id),
            col(Client.file_number),
            col(Client.first_name),
            col(Client.last_name),
            col(Client.birth_date),
            col(Client.status),
            col(Region.code),
        )
        .join(Region, col(Region.id) == col(Client.territory_id), isouter=True)
        .where(*conditions)
    ).all()
    words = folded_name(text or "", "").split()
    matching = [
        row
        for row in rows
        if all(word in folded_name(f"{row[2]} {row[3]}", row[1]) for word in words)
    ]
    matching.sort(key=lambda row: (folded_name(row[3], row[2]), row[0]))
    items = [
        ClientSummary(
            id=row[0],
            file_number=row[1],
            first_name=row[2],
            last_name=row[3],
            birth_date=row[4],
            status=row[5],
            territory=row[6],
        )
        for row in matching[(page - 1) * per_page : page * per_page]
    ]
    filters = f"text={bool(text)} status={status or 'any'} page={page} shown={len(items)}"
    audit(session, actor, "read", "client_list", organisation_id=owner.id, detail=filters)
    session.commit()
    return ClientPage(total=len(matching), page=page, per_page=per_page, items=items)
