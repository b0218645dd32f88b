def seed_portal(context):
    pass
