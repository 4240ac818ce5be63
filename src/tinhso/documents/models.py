"""The document office (văn thư): official documents between agencies, incoming and outgoing,
with the metadata of Decree 30/2020/NĐ-CP Appendix VI named after the national exchange
format's fields (QCVN 102:2016, edXML), their registers and numbers, files and signatures, the
handling slip (a leader's direction: lead unit, supporting units, deadline) and every step of
the handling, who read them, and the packages exchanged with other agencies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tinhso.documents.fields import IdSet


class Direction(models.TextChoices):
    INCOMING = "in", _("Incoming")
    OUTGOING = "out", _("Outgoing")


class Priority(models.TextChoices):
    """Độ khẩn (edXML OtherInfo/Priority: 0 normal ... 3 express)."""

    NORMAL = "0", _("Normal")
    URGENT = "1", _("Urgent")
    VERY_URGENT = "2", _("Very urgent")
    EXPRESS = "3", _("Express")


class Status(models.TextChoices):
    # incoming
    REGISTERED = "registered", _("Registered")
    DIRECTED = "directed", _("Assigned")
    HANDLING = "handling", _("Being handled")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("document", "Closed")
    # outgoing
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    SENT = "sent", _("Sent")


OPEN_INCOMING = (Status.REGISTERED, Status.DIRECTED, Status.HANDLING)


class Document(models.Model):
    """An official document (văn bản) as the registering unit's office knows it: an incoming
    one (văn bản đến) with its arrival number, or an outgoing one (văn bản đi) with the number
    it was issued under. ``unit`` is the registering unit: the receiver of an incoming
    document, the issuing body of an outgoing one."""

    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices)
    unit = models.ForeignKey("units.Unit", verbose_name=_("registering unit"),
                             on_delete=models.PROTECT, related_name="office_documents")
    year = models.PositiveSmallIntegerField(_("register year"))
    # edXML Code: CodeNumber and CodeNotation ("15" and "BC-UBND" of "15/BC-UBND")
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    notation = models.CharField(_("notation"), max_length=60, blank=True)
    arrival_number = models.PositiveIntegerField(_("arrival number"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived"), null=True, blank=True)
    # edXML From: the issuing organisation
    issuer_code = models.CharField(_("issuing organisation code"), max_length=40)
    issuer_name = models.CharField(_("issuing organisation"), max_length=300)
    # edXML DocumentType and PromulgationInfo
    kind = models.CharField(_("type"), max_length=60)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    place = models.CharField(_("place issued"), max_length=100, blank=True)
    subject = models.TextField(_("subject"))
    content = models.TextField(_("summary"), blank=True)
    # edXML SignerInfo
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=200, blank=True)
    signer_competence = models.CharField(_("signing authority"), max_length=60, blank=True)
    # edXML OtherInfo
    priority = models.CharField(_("urgency"), max_length=1, choices=Priority.choices,
                                default=Priority.NORMAL)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    copies = models.PositiveIntegerField(_("copies"), null=True, blank=True)
    due_on = models.DateField(_("answer due"), null=True, blank=True)
    assigns_work = models.BooleanField(
        _("assigns work"), default=False,
        help_text=_("The document assigns work with a deadline (a task in the programme)."))
    confidential = models.BooleanField(_("confidential"), default=False)
    readers = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("named readers"),
                                     blank=True, related_name="confidential_documents")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    # edXML MessageHeader/DocumentId: the sender's unique id of the document
    exchange_id = models.CharField(_("exchange id"), max_length=120, blank=True)
    electronic = models.BooleanField(
        _("electronic"), default=True,
        help_text=_("Received or sent as an electronic document (not on paper)."))
    reply_to = models.ForeignKey("self", verbose_name=_("in answer to"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="answers")
    trace = models.JSONField(_("earlier documents"), default=list, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative"), default=False,
        help_text=_("Invented for the demonstration (shown as \"(minh họa)\"), not a real "
                    "document."))
    search_text = models.TextField(editable=False, default="")
    # Who may see it, as ids (``access.reach_of``, kept at every step of its handling): the
    # units it reaches (registering unit, addressees, lead and supporting units), or, when
    # confidential, its named readers as negative user ids. ``access.visible_documents`` asks
    # one question of it; ``access.may_see`` reads the relations themselves.
    reach = IdSet(editable=False, default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"),
                                   null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("document")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "number"],
                                    condition=models.Q(direction="out", number__isnull=False),
                                    name="document_outgoing_number_unique"),
            models.UniqueConstraint(fields=["unit", "year", "arrival_number"],
                                    condition=models.Q(direction="in"),
                                    name="document_arrival_number_unique"),
        ]
        indexes = [
            models.Index(fields=["unit", "direction", "year"], name="document_register"),
            models.Index(fields=["issuer_code", "number", "notation"], name="document_code"),
            models.Index(fields=["issued_on"], name="document_issued_on"),
            models.Index(fields=["status"], name="document_status"),
            # search (documents/search.py; the GIN index on search_text and reach: migrations
            # 0004 and 0005)
            models.Index(fields=["issued_on", "created_at", "id"], name="document_dated"),
            models.Index(fields=["year", "issued_on", "created_at", "id"],
                         name="document_year_dated"),
            models.Index(fields=["number"], name="document_number"),
        ]

    def __str__(self) -> str:
        return f"{self.code or '-'} {self.subject[:60]}"

    @property
    def code(self) -> str:
        """Số và ký hiệu as printed: ``15/BC-UBND`` (empty for a draft without a number)."""
        if self.number is None:
            return ""
        return f"{self.number:02d}/{self.notation}" if self.notation else f"{self.number:02d}"


class Recipient(models.Model):
    """An addressee (edXML To): a unit of this installation or an organisation elsewhere."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="recipients")
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    organ_code = models.CharField(_("organisation code"), max_length=40)
    organ_name = models.CharField(_("organisation"), max_length=300)
    for_information = models.BooleanField(_("for information"), default=False)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["document", "organ_code"],
                                               name="recipient_unique")]

    def __str__(self) -> str:
        return self.organ_name


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"documents/{instance.document_id}/{filename}"


class Attachment(models.Model):
    """A file of the document, with its digest and what the signature check found."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64)
    # signatures.Verification as data: {"state": ..., "signatures": [...]}; {} when not a PDF
    signature = models.JSONField(default=dict, blank=True)
    signature_state = models.CharField(max_length=12, blank=True)
    signed_here = models.BooleanField(_("signed by this installation"), default=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class RegisterSequence(models.Model):
    """The last number given in a unit's register of a year (outgoing numbers, arrival
    numbers): numbers without gaps or duplicates (see ``numbering``)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "direction", "year"],
                                               name="register_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.direction} {self.year}: {self.last}"


class Assignment(models.Model):
    """The handling slip (phiếu xử lý): a leader's direction on an incoming document."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE,
                                    related_name="assignment")
    lead_unit = models.ForeignKey("units.Unit", verbose_name=_("lead unit"),
                                  on_delete=models.PROTECT, related_name="+")
    support_units = models.ManyToManyField("units.Unit", verbose_name=_("supporting units"),
                                           blank=True, related_name="+")
    due_on = models.DateField(_("deadline"))
    instruction = models.TextField(_("direction"))
    directed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("directed by"),
                                    null=True, on_delete=models.SET_NULL, related_name="+")
    directed_at = models.DateTimeField(default=timezone.now)
    # the programme task the direction created (programme.Task), when it assigns work
    task_id = models.PositiveIntegerField(null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["lead_unit", "closed_on", "due_on"],
                                name="assignment_open")]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.lead_unit_id}"


class StepKind(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    DIRECTED = "directed", _("Assigned")
    COMMENT = "comment", _("Comment")
    DRAFT = "draft", _("Draft answer")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("document", "Closed")
    ISSUED = "issued", _("Issued")
    SIGNED = "signed", _("Signed with the organisation's certificate")
    SENT = "sent", _("Sent")
    RECEIVED = "received", _("Received from another agency")
    STATUS = "status", _("Status from the receiver")


class Step(models.Model):
    """A step of a document's handling, kept for good (comments, drafts, decisions)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=12, choices=StepKind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=200, blank=True)
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    text = models.TextField(blank=True)
    attachment = models.ForeignKey(Attachment, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.document_id} {self.kind} {self.at}"


class Access(models.Model):
    """Who opened a document or one of its files, and when (every access is logged)."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                             related_name="+")
    what = models.CharField(max_length=300, default="view")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["document", "at"], name="document_access")]

    def __str__(self) -> str:
        return f"{self.document_id} {self.user_id} {self.at}"


class Exchange(models.Model):
    """A package sent to or received from another agency, and its acknowledgements."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting to be sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        RECEIVED = "received", _("Received")
        REJECTED = "rejected", _("Rejected")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")

    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="exchanges")
    outbound = models.BooleanField(default=True)
    connector = models.CharField(max_length=40)
    peer_code = models.CharField(_("organisation code"), max_length=40)
    peer_name = models.CharField(_("organisation"), max_length=300, blank=True)
    package_name = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=12, choices=State.choices)
    status_code = models.CharField(max_length=4, blank=True)
    status_text = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["outbound", "state"], name="exchange_state")]

    def __str__(self) -> str:
        return f"{self.peer_code} {self.state}"
