"""All tables, imported here so that Alembic and the application see one metadata."""

from core.models.alerts import StoredPriceAlert
from core.models.base import metadata
from core.models.basket import AgeSexGroup, BasketItem, BasketVersion, WeeklyQuantity
from core.models.collection import CollectionRun, PriceObservation, ProductMatch, StoreProduct
from core.models.costs import BasketCost
from core.models.engine import ItemRegionPrice, ItemStorePrice, SeriesBreak
from core.models.geo import Region, Store
from core.models.imports import (
    DataImport,
    ObservationSource,
    ReferenceSeries,
    ReferenceValue,
    RefusedRow,
)
from core.models.quarantine import ChosenProduct, QuarantinedItem
from core.models.records.accounts import (
    ApiToken,
    LoginAttempt,
    Membership,
    Organisation,
    Program,
    User,
)
from core.models.records.care import (
    Attendance,
    GroupSession,
    Infant,
    NutritionAssessment,
    Pregnancy,
    Referral,
    ServiceEvent,
    WeightCheck,
)
from core.models.records.clients import Client, ClientContact, ClientPause, Consent, Enrolment
from core.models.records.coupons import (
    CouponAllocation,
    CouponKind,
    CouponKindItem,
    Distribution,
    DistributionLine,
)
from core.models.records.meals import (
    DeliveryFollowup,
    DeliveryRoute,
    DeliveryRun,
    DeliveryStop,
    MealPlan,
)
from core.models.records.privacy import (
    AccessRequest,
    AuditEvent,
    ConfidentialityIncident,
    PostalTerritory,
)
from core.models.records.reporting import (
    OrganisationActivity,
    PublicationDownload,
    SatisfactionAnswer,
    SatisfactionQuestion,
    SatisfactionResponse,
    SatisfactionSurvey,
)
from core.models.records.sesame import (
    BoxOffer,
    BoxOfferItem,
    BoxOrder,
    FoodAidItem,
    FoodAidRule,
    FoodAidVisit,
    KitchenParticipant,
    KitchenRecipeItem,
    KitchenSession,
    Volunteer,
    VolunteerAvailability,
    VolunteerShift,
)
from core.models.schedule import ScheduledRun

__all__ = [
    "AccessRequest",
    "AgeSexGroup",
    "ApiToken",
    "Attendance",
    "AuditEvent",
    "BasketCost",
    "BasketItem",
    "BasketVersion",
    "BoxOffer",
    "BoxOfferItem",
    "BoxOrder",
    "ChosenProduct",
    "Client",
    "ClientContact",
    "ClientPause",
    "CollectionRun",
    "ConfidentialityIncident",
    "Consent",
    "CouponAllocation",
    "CouponKind",
    "CouponKindItem",
    "DataImport",
    "DeliveryFollowup",
    "DeliveryRoute",
    "DeliveryRun",
    "DeliveryStop",
    "Distribution",
    "DistributionLine",
    "Enrolment",
    "FoodAidItem",
    "FoodAidRule",
    "FoodAidVisit",
    "GroupSession",
    "Infant",
    "ItemRegionPrice",
    "ItemStorePrice",
    "KitchenParticipant",
    "KitchenRecipeItem",
    "KitchenSession",
    "LoginAttempt",
    "MealPlan",
    "Membership",
    "NutritionAssessment",
    "ObservationSource",
    "Organisation",
    "OrganisationActivity",
    "PostalTerritory",
    "Pregnancy",
    "PriceObservation",
    "ProductMatch",
    "Program",
    "PublicationDownload",
    "QuarantinedItem",
    "ReferenceSeries",
    "ReferenceValue",
    "Referral",
    "RefusedRow",
    "Region",
    "SatisfactionAnswer",
    "SatisfactionQuestion",
    "SatisfactionResponse",
    "SatisfactionSurvey",
    "ScheduledRun",
    "SeriesBreak",
    "ServiceEvent",
    "Store",
    "StoreProduct",
    "StoredPriceAlert",
    "User",
    "Volunteer",
    "VolunteerAvailability",
    "VolunteerShift",
    "WeeklyQuantity",
    "WeightCheck",
    "metadata",
]
