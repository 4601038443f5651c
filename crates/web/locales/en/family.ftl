# The family's own pages beyond the directory, in English: the feedback form, and the links to
# the privacy notice, accessibility statement and cookies page. Same ids in every language.

footer-privacy = Privacy
footer-accessibility = Accessibility
footer-cookies = Cookies
footer-links = Support links

feedback-title = Tell us about the help you had
feedback-intro = Your answers go to the team that helped your family. They help us make help better for other families.
feedback-rating = How was the help your family had?
rating-5 = Very good
rating-4 = Good
rating-3 = OK
rating-2 = Not very good
rating-1 = Bad
feedback-what-changed = What has changed for your family?
feedback-what-changed-hint = Say it in your own words. It is fine if not much has changed.
feedback-anything-else = Is there anything else you want to tell us? (optional)
feedback-send = Send
feedback-error-rating = Choose how the help was for your family
feedback-error-what-changed = Tell us what has changed for your family, in your own words
feedback-error-too-long = This answer is too long: make it 5,000 characters or fewer
feedback-thanks-title = Thank you
feedback-thanks = We have your answers. They help us make help better for other families.
feedback-refused-title = This link cannot be used
feedback-used = You have already told us about the help you had. Thank you. Each link can be used once.
feedback-expired = This link no longer works. If you would still like to tell us about the help you had, ask your worker for a new one.

page-privacy = Privacy notice
page-accessibility = Accessibility statement
page-cookies = Cookies
contact-fallback = the practitioner who works with your family
error-prefix = Error
# The surveys during the help (ADR 0037): the grown-ups' version and the children's.
survey-title-family = A few questions about your help
survey-intro-family = There are only a few questions. Your answers go to the team helping your family and help us make help better.
survey-title-child = Tell us how things are for you
survey-intro-child = There are only a few questions. There are no right or wrong answers.
survey-error-choose = Choose an answer
survey-error-too-long = This answer is too long: make it 2,000 characters or fewer
survey-family-listened = Does your worker listen to what your family needs?
survey-family-clear = Do you know what will happen next?
survey-family-better = Since the help started, are things better, about the same or worse for your family?
survey-family-comment = Is there anything you want to tell us? (optional)
survey-child-listened = Does your worker listen to you?
survey-child-clear = Do you know what happens next?
survey-child-better = Are things better for you now, about the same, or worse?
survey-child-comment = Anything else you want to say? You can leave this empty.
survey-choice-better = Better
survey-choice-same = About the same
survey-choice-worse = Worse
survey-choice-yes = Yes
survey-choice-a-bit = A bit
survey-choice-no = No

## Refusals on the family's pages (asking for help, the family's own page, feedback, the
## directory): a limit reached, a form that could not be checked, a busy service or another
## problem. Each says what happened and what to do.
refusal-wait-title = Please wait a few minutes
refusal-wait-text = You have sent a lot in a short time, so we have paused for a moment. What you sent just now was not received.
refusal-wait-next = Wait a few minutes, then go back and try again. Anything you sent before is safe.
refusal-form-title = Your answers have not been sent yet
refusal-form-text = We could not check that this form came from this website. This can happen when a page is left open for a long time or is open in another window. Nothing was sent.
refusal-form-next = Go back to the page and send your answers again.
refusal-form-typed = What you typed, to copy
refusal-busy-title = The service is very busy
refusal-busy-text = What you sent just now was not received. Wait a few seconds, then try again. Anything you sent before is safe.
refusal-not-found-title = Page not found
refusal-not-found-text = The link may be wrong or may not work any more. Check the web address, or start again from the page below.
refusal-sent-title = Sorry, there is a problem with what was sent
refusal-sent-text = What you sent could not be used, and nothing was saved. Go back and try again.
refusal-problem-title = Sorry, there is a problem with the service
refusal-problem-text = Try again later. Anything you sent before is safe. If it keeps happening, tell the people who help your family and give them the reference below.
refusal-back = Go back to the page
refusal-reference = Reference:
