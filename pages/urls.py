from django.urls import path

from pages.views import (
    agreement,
    case_forms,
    cases,
    contacts,
    dashboard,
    directory,
    handovers,
    lookup,
    partner,
    point_of_contact,
    prepare,
    signin,
    today,
    webhook_endpoints,
)

urlpatterns = [
    path("", today.home, name="home"),
    path("today/", today.today, name="today"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/hand-on/", dashboard.hand_on, name="dashboard-hand-on"),
    # Signing in
    path("sign-in/", signin.sign_in, name="login"),
    path("sign-in/code/", signin.two_factor_code, name="two-factor-code"),
    path("sign-in/reset/", signin.password_reset, name="password-reset"),
    path("sign-in/reset/sent/", signin.password_reset_sent, name="password-reset-sent"),
    path(
        "sign-in/reset/<uidb64>/<token>/",
        signin.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("sign-in/reset/done/", signin.password_reset_complete, name="password-reset-complete"),
    path("sign-out/", signin.sign_out, name="logout"),
    # Your account
    path("account/", signin.account, name="account"),
    path("account/two-factor/set-up/", signin.two_factor_set_up, name="two-factor-set-up"),
    path(
        "account/two-factor/recovery-codes/",
        signin.new_recovery_codes,
        name="two-factor-recovery-codes",
    ),
    path("account/two-factor/turn-off/", signin.turn_off_two_factor, name="two-factor-turn-off"),
    path("account/password/", signin.password_change, name="password-change"),
    path("account/password/changed/", signin.password_changed, name="password-changed"),
    # Finding a case (officers)
    path("find/", lookup.case_lookup, name="case-lookup"),
    # Cases
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<str:reference>/", cases.case_page, name="case-detail"),
    path("cases/<str:reference>/timeline/", cases.case_timeline, name="case-timeline"),
    path("cases/<str:reference>/contacts/new/", contacts.log_contact, name="checkin-create"),
    path("cases/<str:reference>/status/", cases.case_status, name="case-status"),
    path("cases/<str:reference>/engagement/", cases.case_engagement, name="case-engagement"),
    path("cases/<str:reference>/agreement/", agreement.change_agreement, name="agreement-change"),
    path(
        "cases/<str:reference>/agreement/versions/",
        agreement.agreement_versions,
        name="agreement-versions",
    ),
    path("cases/<str:reference>/promises/new/", case_forms.new_promise, name="promise-new"),
    path(
        "cases/<str:reference>/promises/<int:pk>/",
        case_forms.resolve_promise_page,
        name="promise-resolve",
    ),
    path("cases/<str:reference>/events/new/", case_forms.new_event, name="event-new"),
    path("cases/<str:reference>/dates/", case_forms.important_dates, name="important-dates"),
    path(
        "cases/<str:reference>/dates/<int:pk>/remove/",
        case_forms.remove_date,
        name="important-date-remove",
    ),
    path(
        "cases/<str:reference>/contacts/<int:pk>/concerns/",
        case_forms.respond_to_concern_page,
        name="concern-respond",
    ),
    path("cases/<str:reference>/sharing/", case_forms.share, name="case-share"),
    path("cases/<str:reference>/sharing/<int:pk>/end/", case_forms.end_share, name="share-end"),
    path("cases/<str:reference>/handovers/new/", handovers.send_handover, name="handover-send"),
    # Preparing the victim for a coming event, with its explainer
    path(
        "cases/<str:reference>/events/<int:pk>/prepare/",
        prepare.prepare,
        name="explainer-prepare",
    ),
    path(
        "cases/<str:reference>/events/<int:pk>/print/",
        prepare.print_explainer,
        name="explainer-print",
    ),
    path(
        "cases/<str:reference>/explainers/<int:pk>/",
        prepare.read_explainer,
        name="explainer-read",
    ),
    path(
        "cases/<str:reference>/explainers/<int:pk>/print/",
        prepare.print_stage_explainer,
        name="explainer-read-print",
    ),
    # Who to call: the directory of specialist roles
    path("who-to-call/", directory.directory, name="directory"),
    path("who-to-call/new/", directory.entry_form, name="directory-entry-new"),
    path("who-to-call/<int:pk>/", directory.entry_form, name="directory-entry-edit"),
    # Handovers to whoever receives them: partner caseworkers above all, also a navigator
    # taking a case over and the officers of a force a case moves to.
    path("partner/handovers/", handovers.inbox, name="handover-inbox"),
    path("partner/handovers/<int:pk>/", handovers.handover_page, name="handover-detail"),
    # Partner caseworkers
    path("partner/", partner.inbox, name="partner-inbox"),
    path(
        "partner/notices/<int:pk>/acknowledge/",
        partner.acknowledge,
        name="partner-notice-acknowledge",
    ),
    path("partner/cases/", partner.case_list, name="partner-cases"),
    path("partner/cases/<str:reference>/", partner.case_page, name="partner-case"),
    path(
        "partner/cases/<str:reference>/moved/",
        partner.report,
        {"kind": "relocation"},
        name="partner-report-relocation",
    ),
    path(
        "partner/cases/<str:reference>/contact/",
        partner.report,
        {"kind": "contact"},
        name="partner-report-contact",
    ),
    path("partner/keys/", partner.key_list, name="partner-keys"),
    path("partner/keys/issue/", partner.key_issue, name="partner-key-issue"),
    path("partner/keys/<str:prefix>/revoke/", partner.key_revoke, name="partner-key-revoke"),
    path("partner/keys/<str:prefix>/rotate/", partner.key_rotate, name="partner-key-rotate"),
    # Webhook endpoints (partner administrators)
    path("partner/webhook-endpoints/", webhook_endpoints.endpoint_list, name="partner-webhooks"),
    path(
        "partner/webhook-endpoints/add/",
        webhook_endpoints.endpoint_add,
        name="partner-webhook-add",
    ),
    path(
        "partner/webhook-endpoints/<int:pk>/rotate/",
        webhook_endpoints.endpoint_rotate,
        name="partner-webhook-rotate",
    ),
    path(
        "partner/webhook-endpoints/<int:pk>/turn-off/",
        webhook_endpoints.endpoint_switch,
        {"on": False},
        name="partner-webhook-off",
    ),
    path(
        "partner/webhook-endpoints/<int:pk>/turn-on/",
        webhook_endpoints.endpoint_switch,
        {"on": True},
        name="partner-webhook-on",
    ),
    path(
        "partner/webhook-endpoints/<int:pk>/remove/",
        webhook_endpoints.endpoint_delete,
        name="partner-webhook-remove",
    ),
    path(
        "partner/webhook-endpoints/<int:pk>/deliveries/",
        webhook_endpoints.delivery_log,
        name="partner-webhook-deliveries",
    ),
    path(
        "partner/webhook-endpoints/deliveries/<int:pk>/redeliver/",
        webhook_endpoints.redeliver,
        name="partner-webhook-redeliver",
    ),
    path(
        "cases/<str:reference>/point-of-contact/<str:role>/",
        point_of_contact.change_point_of_contact,
        name="point-of-contact-change",
    ),
    # Handing all of a navigator's cases on (supervisors)
    path("team/<int:pk>/hand-on/", point_of_contact.hand_on_all, name="hand-on-cases"),
]
