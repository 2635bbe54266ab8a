"""What funders count beyond clients: organisation activities and anonymous satisfaction."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class OrganisationActivity(SQLModel, table=True):
    """A training, tool, publication, committee, media mention or meeting an organisation did."""

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    # training | webinar | tool | publication | accompaniment | committee | media
    # | decision_maker_meeting
    kind: str = Field(max_length=32)
    title: str = Field(max_length=300)
    held_on: date
    participants: int | None = None
    participant_profile: str | None = Field(default=None, max_length=200)
    readers: int | None = None
    notes: str | None = Field(default=None, max_length=500)


class PublicationDownload(SQLModel, table=True):
    """One download of a publication the project made: counted, never who downloaded it."""

    id: int | None = Field(default=None, primary_key=True)
    publication: str = Field(max_length=200, index=True)
    downloaded_on: date


class SatisfactionSurvey(SQLModel, table=True):
    """An anonymous satisfaction survey of a program over a period."""

    id: int | None = Field(default=None, primary_key=True)
    program_id: int = Field(foreign_key="program.id", index=True)
    title: str = Field(max_length=200)
    opens_on: date
    closes_on: date


class SatisfactionQuestion(SQLModel, table=True):
    """A question of a survey, as data, in French and English."""

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="satisfactionsurvey.id", index=True)
    position: int
    kind: str = Field(max_length=16)  # scale_1_5 | yes_no | text
    text_fr: str = Field(max_length=300)
    text_en: str = Field(max_length=300)


class SatisfactionResponse(SQLModel, table=True):
    """One filled questionnaire: no client, no user, only the day it came in."""

    id: int | None = Field(default=None, primary_key=True)
    survey_id: int = Field(foreign_key="satisfactionsurvey.id", index=True)
    submitted_on: date


class SatisfactionAnswer(SQLModel, table=True):
    """An answer to one question of a response."""

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(foreign_key="satisfactionresponse.id", index=True)
    question_id: int = Field(foreign_key="satisfactionquestion.id")
    score: int | None = None
    text: str | None = Field(default=None, max_length=1000)
