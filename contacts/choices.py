"""The vocabulary of agreements and contacts, importable without a configured Django."""

from django.db import models


class Channel(models.TextChoices):
    PHONE_CALL = "phone_call", "Phone call"
    TEXT = "text", "Text message"
    MESSAGING_APP = "messaging_app", "Messaging app"
    EMAIL = "email", "Email"
    IN_PERSON = "in_person", "In person"
    VIA_NAVIGATOR = "via_navigator", "Through the navigator"
    VIA_NGO = "via_ngo", "Through the NGO caseworker"


# A message on these channels can be read later, so leaving one can count as an update.
WRITTEN_CHANNELS = frozenset({Channel.TEXT, Channel.MESSAGING_APP, Channel.EMAIL})


class LevelOfDetail(models.TextChoices):
    FULL = "full", "Full detail"
    HEADLINE = "headline", "Headlines only"
    KEY_DECISIONS_ONLY = "key_decisions_only", "Key decisions only"


class AvoidFlag(models.TextChoices):
    NO_WITHHELD_NUMBER = "no_withheld_number", "No withheld numbers"
    NO_VOICEMAIL = "no_voicemail", "No voicemail"
    NO_UNIFORM = "no_uniform", "No uniform"
    NOT_AT_POLICE_STATION = "not_at_police_station", "Not at a police station"


class Direction(models.TextChoices):
    OUTBOUND = "outbound", "We contacted the victim"
    INBOUND = "inbound", "The victim contacted us"


class Outcome(models.TextChoices):
    REACHED = "reached", "Reached"
    NO_ANSWER = "no_answer", "No answer"
    MESSAGE_LEFT = "message_left", "Message left"
    DECLINED = "declined", "Declined"
    RESCHEDULED = "rescheduled", "Rescheduled"
    VICTIM_GOT_IN_TOUCH = "victim_got_in_touch", "Victim got in touch"


# Outcomes where the victim and the professional actually spoke or met.
TWO_WAY_OUTCOMES = frozenset({Outcome.REACHED, Outcome.VICTIM_GOT_IN_TOUCH})


class UpdateGiven(models.TextChoices):
    NEWS = "news", "News"
    NO_NEWS_ACTIVE = "no_news_active", "No news, but the case is active"
    NONE = "none", "No update"


class Place(models.TextChoices):
    REMOTE = "remote", "Remote (phone or message)"
    HOME = "home", "Victim's home"
    SAFE_HOUSE = "safe_house", "Safe house"
    POLICE_STATION = "police_station", "Police station"
    NAVIGATOR_OFFICE = "navigator_office", "Navigator's office"
    NGO_PREMISES = "ngo_premises", "NGO premises"
    PUBLIC_PLACE = "public_place", "Public place"
    COURT = "court", "Court"
    OTHER = "other", "Other"


class Concern(models.TextChoices):
    SAFETY_FEAR = "safety_fear", "Safety fear"
    WANTS_TO_WITHDRAW = "wants_to_withdraw", "Wants to withdraw"
    HOUSING = "housing", "Housing"
    IMMIGRATION = "immigration", "Immigration"
    HEALTH = "health", "Health"
    MONEY = "money", "Money"
    OTHER = "other", "Other"


class PromiseStatus(models.TextChoices):
    OPEN = "open", "Open"
    KEPT = "kept", "Kept"
    BROKEN = "broken", "Broken"
    WITHDRAWN = "withdrawn", "Withdrawn"
