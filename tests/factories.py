"""factory_boy factories for the domain models."""

import factory
from django.utils import timezone

from casestudies.models import CaseStudy, ImpactFigure, Theme
from collaboratives.models import Coverage, CoverageKind, Organisation
from core.publishing import PublicationStatus
from events.models import Event, EventFormat
from measures.models import DataPoint, Measure
from programmes.models import CareSetting, Programme, Workstream
from resources.models import Resource, ResourceKind, Topic


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Health Innovation Test {n}")
    psc_name = factory.LazyAttribute(lambda o: f"{o.acronym} Patient Safety Collaborative")
    territory = "A test territory"


class CoverageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Coverage

    organisation = factory.SubFactory(OrganisationFactory)
    kind = CoverageKind.POSTCODE_AREA
    value = "ZZ"


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"programme-{n}")
    name = factory.Sequence(lambda n: f"Programme {n}")
    short_name = factory.Sequence(lambda n: f"P{n}SIP")
    summary = "A national programme."
    aims = "Reduce avoidable harm."


class WorkstreamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workstream

    programme = factory.SubFactory(ProgrammeFactory)
    slug = factory.Sequence(lambda n: f"workstream-{n}")
    name = factory.Sequence(lambda n: f"Workstream {n}")


class CareSettingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CareSetting
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"setting-{n}")
    name = factory.Sequence(lambda n: f"Setting {n}")


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"Theme {n}")


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"topic-{n}")
    name = factory.Sequence(lambda n: f"Topic {n}")


class CaseStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseStudy
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = "What happened, briefly."
    issue = "The problem."
    what_we_did = "The work."
    impact = "The difference it made."
    evaluation = "Run charts of the monthly rate, checked by the trust's analysts."
    funding_declaration = "none"
    organisation = factory.SubFactory(OrganisationFactory)
    status = PublicationStatus.PUBLISHED
    publish_from = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @factory.post_generation
    def complete(obj, create, extracted, **kwargs):
        """``complete=True``: add the checkable impact figure the publication checklist needs."""
        if create and extracted:
            obj.figures.create(
                label="falls per 1,000 bed days",
                value=5,
                baseline=7,
                period="2023/24",
                source="Trust incident reports",
            )


class ImpactFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ImpactFigure

    case_study = factory.SubFactory(CaseStudyFactory)
    label = "eligible women given magnesium sulphate"
    value = 84
    unit = "%"


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Resource {n}")
    slug = factory.Sequence(lambda n: f"resource-{n}")
    summary = "A useful thing."
    kind = ResourceKind.TOOLKIT
    url = factory.Sequence(lambda n: f"https://example.org/resource-{n}")
    status = PublicationStatus.PUBLISHED
    publish_from = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    summary = "What the event is about."
    start = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))
    end = factory.LazyAttribute(lambda o: o.start + timezone.timedelta(hours=1))
    format = EventFormat.ONLINE
    organisation = factory.SubFactory(OrganisationFactory)
    status = PublicationStatus.PUBLISHED
    publish_from = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    name = factory.Sequence(lambda n: f"Measure {n}")
    slug = factory.Sequence(lambda n: f"measure-{n}")
    definition = "What is counted."
    unit = "%"
    direction = "increase"
    data_source = "Test data"
    organisation = factory.SubFactory(OrganisationFactory)
    status = PublicationStatus.PUBLISHED
    publish_from = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))


class DataPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataPoint

    measure = factory.SubFactory(MeasureFactory)
    value = 50
