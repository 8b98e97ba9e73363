from django.db import migrations, models
import django.db.models.deletion


class Migration(migrations.Migration):

    dependencies = [
        ('editions', '0003_edition_locale'),
    ]

    operations = [
        migrations.AddField(
            model_name='edition',
            name='reference',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name='+', to='editions.edition'),
        ),
        migrations.AddField(
            model_name='edition',
            name='reference_json',
            field=models.TextField(blank=True, editable=False),
        ),
    ]
