# Hearth's messages, in English. The other languages have the same ids (see
# docs/translations.md). { $name }, { $expires } are filled in; the link follows each body.
feedback-link-subject = How was the help your family had?
feedback-link-body = Your family's help has ended. Please tell us how it was and what has changed for you. It takes a few minutes and you do not need an account. The link works once, until { $expires }.
password-reset-subject = Choose a new password for Hearth
password-reset-body = Hello { $name }. An administrator made a link for you to choose a new password. It works once, until { $expires }. If you did not ask for it, tell your administrator.
taf-invitation-subject = You have joined a Team Around the Family
taf-invitation-body = Hello { $name }. You have been added to a family's Team Around the Family. Sign in to see the family's plan and what is asked of you.
request-outcome-subject = A decision on your request for support
request-outcome-body = Hello { $name }. The front door has decided your request for support. Sign in to read the decision.
footer = This message was sent by Hearth. Please do not reply to it.
survey-link-subject = A few questions about the help your family is having
survey-link-body = We would like to know how the help is going for your family. There are only a few questions, they take about two minutes, and you do not need an account. The link works once, until { $expires }.
family-page-link-subject = Your link to your family's page
family-page-link-body = Use this link to see your family's plan, who is helping you and how to reach them, and to send a message to your lead professional. It works once, until { $expires }. If you did not expect it, you can ignore this message.
family-message-subject = You have a new message about your family's help
family-message-body = There is a new message for you in Hearth. Open your page to read it.
training-reminder-subject = Your training runs out soon: { $course }
training-reminder-body = Hello { $name }. Your { $course } training runs out on { $expires }. Please book it again; { $ask } can help. Sign in to see your training.
training-reminder-text = Hearth reminder: your { $course } training runs out on { $expires }:
work-reminder-subject = Reminder: { $work ->
        [assessment] an assessment is due on { $due }
        [review] a Team Around the Family review is due on { $due }
        [action] an action of yours on a plan is due on { $due }
       *[task] a task of yours is due on { $due }
    }
work-reminder-body = Hello { $name }. { $work ->
        [assessment] The assessment of a family you lead is due on { $due }.
        [review] The Team Around the Family review of a family you lead is due on { $due }.
        [action] An action you own on a family's plan is due on { $due }.
       *[task] A task assigned to you is due on { $due }.
    } Sign in to see it.

# Text messages (ADR 0049): short, the link follows on the same text; kept within three texts.
feedback-link-text = Family Help: please tell us how the help went. The link works once, until { $expires }:
family-page-link-text = Family Help: your link to your family's page. It works once, until { $expires }:
work-reminder-text = Hearth reminder: { $work ->
        [assessment] an assessment
        [review] a TAF review
        [action] a plan action
       *[task] a task
    } is due on { $due }:
