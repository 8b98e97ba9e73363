from .roles import who


def role(request):
    return {"who": who(getattr(request, "user", None))}
