from django.urls import path

from pages.views import (
    agreement,
    cases,
    contacts,
    dashboard,
    handovers,
    lookup,
    partner,
    point_of_contact,
    signin,
    today,
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
    path("cases/<str:reference>/handovers/new/", handovers.send_handover, name="handover-send"),
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
    # Webhook endpoints (partner administrators) go under partner/webhook-endpoints/.
    path(
        "cases/<str:reference>/point-of-contact/<str:role>/",
        point_of_contact.change_point_of_contact,
        name="point-of-contact-change",
    ),
    # Handing all of a navigator's cases on (supervisors)
    path("team/<int:pk>/hand-on/", point_of_contact.hand_on_all, name="hand-on-cases"),
]
