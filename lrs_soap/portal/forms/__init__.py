"""WTForms forms, one module per charter area, rendered with govuk-frontend-wtf widgets.

They check the shape of input only (present, a date, a number); LRS rules stay in the
service and domain layers, whose refusals the views show against the field they concern.
"""
