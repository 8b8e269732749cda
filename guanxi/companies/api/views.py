"""The companies API: CRUD through the services, on the base viewset."""

from guanxi.companies.api.serializers import CompanySerializer, CompanyWriteSerializer
from guanxi.companies.filtersets import CompanyFilterSet
from guanxi.companies.selectors import company_list
from guanxi.companies.services import company_create, company_delete, company_update
from guanxi.core.api.viewsets import WorkspaceViewSet


class CompanyViewSet(WorkspaceViewSet):
    """Companies (accounts). Filters as on the list page; `q` searches name and short name."""

    resource = "companies"
    selector = company_list
    read_serializer_class = CompanySerializer
    write_serializer_class = CompanyWriteSerializer
    create_service = company_create
    update_service = company_update
    delete_service = company_delete
    filterset_class = CompanyFilterSet
    # cursor pagination needs a column without NULLs to order on
    ordering_fields = ["name", "created_at", "updated_at"]
