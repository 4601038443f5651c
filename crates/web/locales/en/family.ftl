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
